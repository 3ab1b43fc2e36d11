"""Out-of-scope detection on the held-out sets: precision, recall and their curve.

`make eval` calls `evaluate_out_of_scope`: every held-out message of a language is
parsed by the model; a message is called off-topic when `out_of_scope` is the top
intent (what the assistant does). The curve varies a threshold on the probability of
`out_of_scope` instead, so that a trainer sees what a stricter or looser threshold
would give, and the threshold that keeps precision at or above the target with the
best recall is written down per language (`models/reports/<lang>/out_of_scope.json`,
plot `out_of_scope_curve.png`).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES

OUT_OF_SCOPE = "out_of_scope"
TARGET_PRECISION = 0.95


@dataclass(frozen=True)
class Scored:
    gold_out_of_scope: bool
    predicted_out_of_scope: bool  # top intent
    score: float  # probability of out_of_scope


def precision_recall(scored: list[Scored], threshold: float | None = None) -> tuple[float, float]:
    """Precision and recall of "off-topic": by top intent, or by score >= threshold."""

    def called(item: Scored) -> bool:
        return item.predicted_out_of_scope if threshold is None else item.score >= threshold

    true_positives = sum(1 for s in scored if called(s) and s.gold_out_of_scope)
    predicted = sum(1 for s in scored if called(s))
    actual = sum(1 for s in scored if s.gold_out_of_scope)
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / actual if actual else 1.0
    return precision, recall


def curve(scored: list[Scored]) -> list[dict[str, float]]:
    """Precision and recall at every distinct score, from strict to loose."""
    thresholds = sorted({round(s.score, 4) for s in scored if s.score > 0}, reverse=True)
    points = []
    for threshold in thresholds:
        precision, recall = precision_recall(scored, threshold)
        points.append(
            {"threshold": threshold, "precision": round(precision, 4), "recall": round(recall, 4)}
        )
    return points


def calibrated_threshold(points: list[dict[str, float]], target: float = TARGET_PRECISION):
    """The loosest threshold whose precision still reaches `target` (None if none does)."""
    good = [p for p in points if p["precision"] >= target]
    return max(good, key=lambda p: (p["recall"], p["threshold"])) if good else None


def _held_out(language: str) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


async def _score(model: Path, languages: tuple[str, ...]) -> dict[str, list[Scored]]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # One debug line per parsed message otherwise.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    results: dict[str, list[Scored]] = {}
    for language in languages:
        scored = []
        for text, gold in _held_out(language):
            parsed = await agent.parse_message(text)
            ranking = {r["name"]: r["confidence"] for r in parsed.get("intent_ranking") or []}
            top = (parsed.get("intent") or {}).get("name")
            scored.append(
                Scored(gold == OUT_OF_SCOPE, top == OUT_OF_SCOPE, ranking.get(OUT_OF_SCOPE, 0.0))
            )
        results[language] = scored
    return results


def _plot(points: list[dict[str, float]], chosen, language: str, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5, 4))
    axis.plot([p["recall"] for p in points], [p["precision"] for p in points], marker=".")
    if chosen:
        axis.scatter([chosen["recall"]], [chosen["precision"]], color="red", zorder=3)
    axis.set_xlabel("recall")
    axis.set_ylabel("precision")
    axis.set_xlim(0, 1.02)
    axis.set_ylim(0, 1.02)
    axis.set_title(f"Out of scope, {language} (held-out)")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)


def evaluate_out_of_scope(
    model: Path, out: Path, plots: bool = True, languages: tuple[str, ...] = SUPPORTED_LANGUAGES
) -> dict[str, dict[str, float]]:
    """Out-of-scope precision and recall per language; curves under `out/<lang>/`."""
    scored = asyncio.run(_score(model, languages))
    summary = {}
    for language, items in scored.items():
        precision, recall = precision_recall(items)
        points = curve(items)
        chosen = calibrated_threshold(points)
        target = out / language
        target.mkdir(parents=True, exist_ok=True)
        report = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "examples": sum(1 for s in items if s.gold_out_of_scope),
            "calibrated_threshold": chosen,
            "curve": points,
        }
        (target / "out_of_scope.json").write_text(json.dumps(report, indent=2) + "\n")
        if plots:
            _plot(points, chosen, language, target / "out_of_scope_curve.png")
        summary[language] = {k: report[k] for k in ("precision", "recall", "examples")}
    return summary
