"""The out-of-scope figures that `make eval` reports."""

from bot.ops.out_of_scope_eval import Scored, calibrated_threshold, curve, precision_recall

ITEMS = [
    Scored(True, True, 0.95),
    Scored(True, True, 0.80),
    Scored(True, False, 0.40),
    Scored(False, True, 0.60),
    Scored(False, False, 0.10),
    Scored(False, False, 0.0),
]


def test_precision_and_recall_by_top_intent():
    assert precision_recall(ITEMS) == (2 / 3, 2 / 3)


def test_precision_and_recall_by_threshold():
    assert precision_recall(ITEMS, 0.7) == (1.0, 2 / 3)
    assert precision_recall(ITEMS, 0.3) == (3 / 4, 1.0)


def test_nothing_called_off_topic_is_perfectly_precise_and_recalls_nothing():
    assert precision_recall([Scored(True, False, 0.1)]) == (1.0, 0.0)


def test_curve_runs_from_strict_to_loose_and_calibration_keeps_the_precision():
    points = curve(ITEMS)
    assert [p["threshold"] for p in points] == [0.95, 0.8, 0.6, 0.4, 0.1]
    assert points[0] == {"threshold": 0.95, "precision": 1.0, "recall": 0.3333}
    chosen = calibrated_threshold(points, target=0.95)
    assert chosen == {"threshold": 0.8, "precision": 1.0, "recall": 0.6667}
    assert calibrated_threshold([{"threshold": 0.5, "precision": 0.5, "recall": 1.0}]) is None
