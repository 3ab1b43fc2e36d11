"""Train the pipeline with and without the multilingual sentence embeddings and compare.

`python -m bot.ops.compare` writes models/reports/pipeline_comparison.json and prints a
table: held-out intent macro F1 per language, entity macro F1, training time.
"""

from __future__ import annotations

import argparse
import json
import subprocess  # nosec B404  # runs our own commands with fixed arguments, without a shell
import time
from pathlib import Path

import yaml

from bot.ops.processes import rasa_command
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES

REPORTS = PROJECT_ROOT / "models" / "reports"
USE_COMPONENT = "bot.rasa_plugins.nlu.use_featurizer.UniversalSentenceEncoderFeaturizer"


def variant_config(source: Path, with_embeddings: bool, target: Path) -> Path:
    config = yaml.safe_load(source.read_text())
    if not with_embeddings:
        config["pipeline"] = [c for c in config["pipeline"] if c["name"] != USE_COMPONENT]
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    return target


def train_nlu(config: Path, out: Path, name: str) -> tuple[Path, float]:
    started = time.monotonic()
    # bandit B603: Fixed arguments, no shell.
    subprocess.run(  # nosec B603
        rasa_command(
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            "data/nlu",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--quiet",
        ),
        cwd=PROJECT_ROOT,
        check=True,
    )
    return out / f"{name}.tar.gz", time.monotonic() - started


def evaluate(model: Path, out: Path, plots: bool = False) -> dict[str, dict[str, float]]:
    """Held-out scores per language; reports (and plots) under `out/<lang>/`."""
    scores = {}
    for language in SUPPORTED_LANGUAGES:
        target = out / language
        # bandit B603: Fixed arguments, no shell.
        subprocess.run(  # nosec B603
            rasa_command(
                "test",
                "nlu",
                "--nlu",
                f"tests/nlu/{language}.yml",
                "--model",
                str(model),
                "--out",
                str(target),
                *([] if plots else ["--no-plot"]),
            ),
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
        )
        intents = json.loads((target / "intent_report.json").read_text())
        entity_file = target / "DIETClassifier_report.json"
        entities = json.loads(entity_file.read_text()) if entity_file.exists() else {}
        scores[language] = {
            "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
            "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
            "entity_macro_f1": round(entities.get("macro avg", {}).get("f1-score", 0.0), 4),
            "examples": intents["macro avg"]["support"],
        }
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config.yml")
    args = parser.parse_args(argv)
    work = PROJECT_ROOT / "var" / "compare"
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for label, with_embeddings in (("with_use", True), ("without_use", False)):
        config = variant_config(PROJECT_ROOT / args.config, with_embeddings, work / f"{label}.yml")
        model, seconds = train_nlu(config, work, label)
        results[label] = {"train_seconds": round(seconds), "scores": evaluate(model, work / label)}
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "pipeline_comparison.json").write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{'pipeline':<14}{'train s':>8}"
        + "".join(f"{lang + ' F1':>10}" for lang in SUPPORTED_LANGUAGES)
    )
    for label, row in results.items():
        f1s = "".join(
            f"{row['scores'][lang]['intent_macro_f1']:>10.3f}" for lang in SUPPORTED_LANGUAGES
        )
        print(f"{label:<14}{row['train_seconds']:>8}{f1s}")


if __name__ == "__main__":
    main()
