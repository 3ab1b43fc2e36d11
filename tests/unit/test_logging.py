import logging

from bot.logging_setup import PersonalDataFilter, mask_personal_data


def test_personal_data_is_masked():
    text = (
        "nn 85.07.30-033.28 phone +32 470 12 34 56 or 0470/12.34.56 mail jan.peeters@gmail.com ok"
    )
    masked = mask_personal_data(text)
    for secret in ("85.07.30-033.28", "470 12 34 56", "0470/12.34.56", "jan.peeters@gmail.com"):
        assert secret not in masked
    assert masked.endswith(" ok")


def test_filter_masks_arguments_of_a_record():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "user said %s", ("85073003328",), None
    )
    PersonalDataFilter().filter(record)
    assert "85073003328" not in record.getMessage()
