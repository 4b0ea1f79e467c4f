"""Places on a page where apps above the page's own app add a section: the group page
shows the group's events, campaigns and partners; the campaign page its events. The app
that owns the page declares a Slot; apps above it register a template for it in their
AppConfig.ready; the page includes the registered templates in order. The owner imports
nothing from the apps that fill it, and nothing is probed per request."""

from dataclasses import dataclass, field


@dataclass
class Slot:
    name: str
    _entries: list[tuple[int, str]] = field(default_factory=list)

    def register(self, template: str, *, order: int = 100) -> None:
        if all(existing != template for _order, existing in self._entries):
            self._entries.append((order, template))
            self._entries.sort()

    @property
    def templates(self) -> list[str]:
        return [template for _order, template in self._entries]
