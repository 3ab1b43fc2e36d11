# The two commands: `make run` (the assistant) and `make test` (the whole test suite).
SHELL := /bin/bash
BOOT := source scripts/bootstrap.sh &&

.PHONY: run test test-browser screenshots lint eval train bench cluster constraints env

run: ## Set up, train if needed, start every process, print where to talk to it
	@$(BOOT) python -m bot.ops.cli run

test: ## The whole test suite (CI runs exactly this)
	@$(BOOT) ruff check . && python -m pytest

test-browser: ## The web widget in a real Chromium
	@$(BOOT) bash scripts/ensure_chromium.sh && python -m pytest tests/browser

screenshots: ## Refresh the README's pictures in docs/screenshots/
	@$(BOOT) bash scripts/ensure_chromium.sh && SCREENSHOTS_DIR=docs/screenshots python -m pytest -q \
		tests/browser/test_widget_screenshots.py \
		tests/browser/test_handoff_console.py::test_counsellor_takes_over_in_the_console_and_hands_back

lint:
	@$(BOOT) ruff check . && ruff format --check .

eval: ## Held-out NLU evaluation per language -> models/reports/
	@$(BOOT) python -m bot.ops.cli eval

train: ## Train the full model (skipped when nothing changed)
	@$(BOOT) python -m bot.ops.cli train

bench: ## Speed and memory figures
	@$(BOOT) python -m bot.ops.bench

cluster: ## Production wiring on this machine: N Rasa + M action servers behind nginx (RASA=2 ACTIONS=2)
	@$(BOOT) bash scripts/ensure_nginx.sh && python -m bot.ops.cluster \
		--rasa $(or $(RASA),2) --actions $(or $(ACTIONS),2)

env:
	@$(BOOT) python -c "import sys; print(sys.version)"

constraints: ## Re-resolve constraints.txt from requirements.txt in a scratch venv
	@bash scripts/resolve_constraints.sh

.PHONY: fuzz audit

fuzz: ## Long fuzz run of what a stranger can reach (CASES=10000 ENDPOINT=rest SEED=n)
	@$(BOOT) python -m bot.ops.fuzz --cases $(or $(CASES),10000) \
		$(if $(ENDPOINT),--endpoint $(ENDPOINT)) $(if $(SEED),--seed $(SEED))

audit: ## Security checks: bandit (bot/ actions/ channels/), pip-audit (constraints.txt)
	@$(BOOT) bandit -c pyproject.toml -q -r bot actions channels && python scripts/pip_audit.py
