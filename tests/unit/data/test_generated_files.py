"""Generated files are generated: regenerating them changes nothing."""

import importlib.util

import yaml

from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_name_examples_are_up_to_date():
    generator = _script("generate_name_examples")
    for language in SUPPORTED_LANGUAGES:
        path = PROJECT_ROOT / "data" / "nlu" / language / "names.yml"
        assert path.read_text(encoding="utf-8") == generator.render(language), (
            f"{path} is stale: run python scripts/generate_name_examples.py"
        )


def test_name_examples_keep_the_word_like_names_fixture_unseen():
    generator = _script("generate_name_examples")
    fixture = yaml.safe_load(
        (PROJECT_ROOT / "tests" / "fixtures" / "word_like_names.yml").read_text(encoding="utf-8")
    )
    unseen = {n.lower() for lists in fixture.values() for names in lists.values() for n in names}
    trained = {n.lower() for n in (*generator.GIVEN_NAMES, *generator.FAMILY_NAMES)}
    assert trained & unseen == set()


def test_form_rules_are_up_to_date():
    path = PROJECT_ROOT / "data" / "rules" / "forms.yml"
    assert path.read_text(encoding="utf-8") == _script("generate_form_rules").render(), (
        f"{path} is stale: run python scripts/generate_form_rules.py"
    )


def test_form_rules_cover_every_form_of_the_domain():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    generator = _script("generate_form_rules")
    assert set(generator.FORMS) == set(domain["forms"])
    intents = set(domain["intents"]) | {"nlu_fallback"}
    used = {intent for intent, _, _ in generator.INTERRUPTIONS}
    used |= {task_intent for task_intent, _ in generator.FORMS.values()}
    assert used <= intents


def test_test_stories_are_up_to_date():
    path = PROJECT_ROOT / "tests" / "test_stories.yml"
    assert path.read_text(encoding="utf-8") == _script("generate_test_stories").render(), (
        f"{path} is stale: run python scripts/generate_test_stories.py"
    )
