"""What happened, for apps above to react to (the API's webhooks). A service says so with
``emit("attendance.created", group_id=..., ...)`` inside its transaction; an app above
registers a receiver in its AppConfig.ready. Receivers run in the emitter's transaction,
so what they write (delivery rows) commits or rolls back with the change itself; they
must not make network calls (send after commit)."""

from collections.abc import Callable

_receivers: list[Callable[..., None]] = []


def register(receiver: Callable[..., None]) -> None:
    if receiver not in _receivers:
        _receivers.append(receiver)


def emit(name: str, **data) -> None:
    for receiver in _receivers:
        receiver(name, **data)
