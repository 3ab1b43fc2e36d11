"""Updates of one chat run one after the other, in order; other chats do not wait."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import CallbackQuery, Chat, Message, Update, User

from channels.telegram.ordering import ChatOrderedUpdateProcessor, chat_key

DATE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, DATE, chat, text="hallo"))


async def test_one_chat_in_order_while_another_chat_goes_on():
    processor = ChatOrderedUpdateProcessor()
    log: list[str] = []
    first_may_end = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        log.append(f"start {name}")
        if wait:
            await wait.wait()
        log.append(f"end {name}")

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update, work))
            for update, work in [
                (update_in(1, 1), handle("a1", first_may_end)),
                (update_in(1, 2), handle("a2")),
                (update_in(2, 3), handle("b1")),
                (update_in(1, 4), handle("a3")),
            ]
        ]
        await asyncio.sleep(0.05)
        # Chat 2 was handled while chat 1's first message was still running.
        assert log == ["start a1", "start b1", "end b1"]
        assert processor.current_concurrent_updates == 3
        first_may_end.set()
        await asyncio.gather(*tasks)
    assert log[3:] == ["end a1", "start a2", "end a2", "start a3", "end a3"]
    assert len(processor.locks) == 0  # no lock is kept for a quiet chat


async def test_a_failing_update_does_not_block_its_chat():
    processor = ChatOrderedUpdateProcessor()

    async def fail() -> None:
        raise RuntimeError("boom")

    async def succeed() -> str:
        return "ok"

    failed = asyncio.create_task(processor.process_update(update_in(5, 1), fail()))
    later = asyncio.create_task(processor.process_update(update_in(5, 2), succeed()))
    results = await asyncio.gather(failed, later, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert len(processor.locks) == 0


def test_the_key_is_the_chat_or_else_the_person():
    assert chat_key(update_in(7, 1)) == 7
    tapper = User(8, "Test", is_bot=False)
    tap = Update(2, callback_query=CallbackQuery("q", tapper, "ci", data="/affirm"))
    assert chat_key(tap) == 8  # a button under a message Telegram no longer sends
    assert chat_key(Update(3)) is None
    assert chat_key("not an update") is None
