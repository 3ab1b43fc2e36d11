"""configure_logging: whatever is logged, by whichever logger and handler, comes out masked."""

from __future__ import annotations

import io
import logging
import stat
import threading
import warnings
from pathlib import Path

import pytest
import structlog

from bot.logging_setup import PersonalDataFilter, configure_logging
from channels.telegram.log_redaction import protect_logs

NATIONAL_NUMBER_SPELLINGS = ("85.07.30-033.28", "85073003328", "85 07 30 033 28")
PHONE = "+32 470 12 34 56"
EMAIL = "jan.peeters@example.be"


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text()


def assert_masked(text: str, *values: str) -> None:
    for value in values:
        assert value not in text, f"{value!r} in:\n{text}"


@pytest.fixture
def log_file(tmp_path) -> Path:
    return tmp_path / "logs" / "process.log"


def test_an_exception_holding_a_national_number_is_masked_in_message_and_traceback(log_file):
    configure_logging("actions", log_file=log_file)
    try:
        raise ValueError(f"refused national number {NATIONAL_NUMBER_SPELLINGS[0]}")
    except ValueError:
        logging.getLogger("actions.forms").exception("validation of %s failed", EMAIL)

    text = read(log_file)
    assert "actions ERROR actions.forms: validation of <email> failed" in text
    assert "Traceback (most recent call last):" in text
    assert "ValueError: refused national number <national_number>" in text
    assert_masked(text, *NATIONAL_NUMBER_SPELLINGS, EMAIL)


def test_every_spelling_of_the_personal_data_is_masked(log_file):
    configure_logging("rasa", log_file=log_file)
    log = logging.getLogger("anything")
    for value in (*NATIONAL_NUMBER_SPELLINGS, PHONE, "0470/12.34.56", "0032470123456", EMAIL):
        log.info("the citizen typed %s", value)
        log.info(f"the citizen typed {value}")  # formatted before logging: no arguments
    text = read(log_file)
    assert text.count("the citizen typed <") == 14
    assert_masked(text, *NATIONAL_NUMBER_SPELLINGS, "470 12 34 56", "12.34.56", "470123456", EMAIL)


def test_a_logger_and_handler_configured_after_the_setup_are_masked(log_file):
    configure_logging("rasa", log_file=log_file)
    # As Sanic, python-socketio or TensorFlow do: their own handler, not propagating.
    late = logging.getLogger("library.configured.later")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    late.addHandler(handler)
    late.propagate = False
    try:
        late.warning("number %s, mail %s", NATIONAL_NUMBER_SPELLINGS[1], EMAIL)
        try:
            {}[f"key {PHONE}"]
        except KeyError:
            late.error("lookup failed", exc_info=True)
    finally:
        late.removeHandler(handler)

    written = stream.getvalue()
    assert "WARNING number <national_number>, mail <email>" in written
    assert "KeyError: 'key <phone>'" in written
    assert_masked(written, NATIONAL_NUMBER_SPELLINGS[1], EMAIL, PHONE)


def test_a_handler_put_on_the_root_logger_later_writes_masked_records(log_file):
    configure_logging("rasa", log_file=log_file)
    stream = io.StringIO()
    later = logging.StreamHandler(stream)  # what `rasa run` does with coloredlogs
    logging.getLogger().handlers.insert(0, later)  # before ours: no help from its filter
    logging.getLogger("rasa.core").info("sender said %s", NATIONAL_NUMBER_SPELLINGS[0])
    assert stream.getvalue() == "sender said <national_number>\n"


def test_conversation_content_in_debug_lines_is_redacted(log_file):
    configure_logging("rasa", "DEBUG", log_file=log_file)
    logging.getLogger("rasa.core.actions.action").debug(
        "Validating extracted slots: {'given_name': 'Wannes', 'birth_date': '1972-11-19'}"
    )
    logging.getLogger("rasa.core.nlg.callback").debug(
        "Requesting NLG for utter_summary from http://127.0.0.1:5055/nlg.The request body is "
        '{"tracker": {"slots": {"family_name": "Vercauteren"}}}.'
    )
    logging.getLogger("rasa.core.nlg.callback").debug(
        'Received NLG response: {"text": "Wannes Vercauteren, 19/11/1972"}'
    )
    logging.getLogger("telegram.Bot").debug(
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "sendMessage",
        {"chat_id": 900000001, "text": "Klopt dit? Wannes Vercauteren, 19/11/1972"},
    )
    text = read(log_file)
    assert "Validating extracted slots: <redacted>" in text
    assert "Requesting NLG for utter_summary from http://127.0.0.1:5055/nlg." in text
    assert "'chat_id': 900000001, 'text': '<redacted>'" in text
    assert_masked(text, "Wannes", "Vercauteren", "1972-11-19", "19/11/1972")


def test_rasa_events_in_arguments_are_described_without_their_values(log_file):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    configure_logging("rasa", "DEBUG", log_file=log_file)
    events = [
        UserUttered("Vercauteren", intent={"name": "inform"}),
        SlotSet("family_name", "Vercauteren"),
        ActionExecuted("utter_ask_birth_date"),
    ]
    logging.getLogger("rasa.core.processor").debug("events %s", events)
    text = read(log_file)
    assert "events ['UserUttered(inform)', 'SlotSet(family_name)'," in text
    assert "'ActionExecuted(utter_ask_birth_date)']" in text
    assert "Vercauteren" not in text


def test_structlog_events_are_redacted_even_when_rasa_configures_structlog_later(log_file):
    from rasa.utils.log_utils import configure_structlog

    configure_logging("rasa", "DEBUG", log_file=log_file)
    structlog.get_logger("before").debug(
        "processor.slots.log", slot_values={"given_name": "Wannes"}, action_name="utter_x"
    )
    configure_structlog(logging.DEBUG)  # what `rasa run` does after reading its logging
    structlog.get_logger("after").debug(
        "processor.message.parse", parse_data_text="Wannes 85073003328", parse_data_intent="x"
    )
    text = read(log_file)
    assert '"event": "processor.slots.log"' in text and '"action_name": "utter_x"' in text
    assert '"event": "processor.message.parse"' in text
    assert '"parse_data_intent": "x"' in text
    assert_masked(text, "Wannes", "85073003328")


def test_a_stack_trace_is_masked(log_file):
    configure_logging("console", log_file=log_file)

    def report() -> None:  # the stack shows the source line, and so its comment
        logging.getLogger("console").warning("here", stack_info=True)  # 85.07.30-033.28

    report()
    text = read(log_file)
    assert "Stack (most recent call last):" in text and "<national_number>" in text
    assert NATIONAL_NUMBER_SPELLINGS[0] not in text


def test_uncaught_exceptions_in_threads_and_warnings_are_logged_masked(log_file):
    configure_logging("actions", log_file=log_file)

    def fail() -> None:
        raise RuntimeError(f"could not reach {EMAIL}")

    thread = threading.Thread(target=fail, name="worker")
    thread.start()
    thread.join()
    warnings.warn(f"odd number {NATIONAL_NUMBER_SPELLINGS[1]}", UserWarning, stacklevel=1)
    text = read(log_file)
    assert "CRITICAL uncaught: uncaught RuntimeError in thread worker" in text
    assert "RuntimeError: could not reach <email>" in text
    assert "UserWarning: odd number <national_number>" in text
    assert_masked(text, EMAIL, NATIONAL_NUMBER_SPELLINGS[1])


def test_the_telegram_token_is_masked_in_every_logger(log_file):
    token = "7000000001:AAE-test_token-for_the_fake_bot_api"
    configure_logging("rasa", log_file=log_file)
    protect_logs(token)
    for name in ("httpx", "telegram.ext.Updater", "some.other.library"):
        logging.getLogger(name).warning("POST https://api.telegram.org/bot%s/getUpdates", token)
    text = read(log_file)
    assert text.count("/bot<telegram-token>/getUpdates") == 3 and token not in text


def test_the_level_comes_from_the_argument_else_from_log_level(log_file, monkeypatch):
    configure_logging()  # as the action server calls it: INFO, process "app"
    root = logging.getLogger()
    assert root.level == logging.INFO
    monkeypatch.setenv("LOG_LEVEL", "debug")
    configure_logging("sandbox", log_file=log_file)
    assert root.level == logging.DEBUG
    configure_logging("sandbox", "WARNING", log_file=log_file)
    assert root.level == logging.WARNING
    assert logging.getLogger("sanic.access").level == logging.WARNING  # libraries


def test_configuring_again_replaces_the_handlers_instead_of_adding(log_file):
    configure_logging("console", log_file=log_file)
    configure_logging("console", log_file=log_file)
    logging.getLogger("console").warning("once")
    assert read(log_file).count("once") == 1


def test_the_log_file_is_readable_by_its_owner_only(log_file):
    log_file.parent.mkdir(parents=True)
    log_file.write_text("from before\n")
    log_file.chmod(0o644)
    configure_logging("console", log_file=log_file)
    logging.getLogger("console").warning("hello")
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert read(log_file).startswith("from before\n")


def test_the_handler_filter_masks_a_record_made_before_the_setup_and_its_extra_fields():
    # Made without the masking factory, as a record from before configure_logging is.
    record = logging.LogRecord(
        "sanic.access", logging.INFO, __file__, 1, "user said %s", ("85073003328",), None
    )
    record.request = f"GET /v1/jobseekers?email={EMAIL}"  # an `extra=` field
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "user said <national_number>"
    assert record.request == "GET /v1/jobseekers?email=<email>"
