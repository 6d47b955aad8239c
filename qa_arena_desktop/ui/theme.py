"""Light and dark themes that follow the system (Qt 6.5+ ``QStyleHints.colorScheme``).

A theme is the Fusion style, a matching ``QPalette``, a QSS file from
``resources/styles/`` and a table of semantic colours (verdicts, difficulty badges,
the pygments style of the editor) that item models ask for at paint time, so a
theme switch repaints without rebuilding anything.

Which theme: the learner's choice in View › Theme (light, dark, or follow the
system; remembered in the settings), except that ``QA_ARENA_THEME=light|dark``
forces one for a session (screenshots, systems that report no scheme).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from qa_arena_desktop import env_settings, paths

THEME_ENV = "QA_ARENA_THEME"
FOLLOW_SYSTEM = "system"
CHOICES = ("light", "dark", FOLLOW_SYSTEM)  # what View › Theme offers, as stored


@dataclass(frozen=True)
class DiffColours:
    """The one colour convention of every diff in the app (the Hints tab, the studio).

    A diff reads from golden to the mutant, like ``git diff``: golden's side is the
    "before" (removed: red-ish), the mutant's side the "after" (added: green-ish).
    ``*_line`` shades a whole changed line, ``*_chars`` the changed characters in it.
    """

    removed_text: str
    removed_line: str
    removed_chars: str
    added_text: str
    added_line: str
    added_chars: str
    filler: str  # a row that exists only on the other side


DIFF_LIGHT = DiffColours(removed_text="#82071e", removed_line="#ffecec", removed_chars="#ffb8b8",
                         added_text="#116329", added_line="#e6ffec", added_chars="#abf2bc",
                         filler="#f3f4f6")
DIFF_DARK = DiffColours(removed_text="#ffa198", removed_line="#3d1a1c", removed_chars="#7a2a2e",
                        added_text="#7ee787", added_line="#12301d", added_chars="#1f6332",
                        filler="#22262d")


@dataclass(frozen=True)
class Theme:
    name: str
    dark: bool
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    border: str
    accent: str
    highlight: str
    pygments_style: str
    editor_background: str
    current_line: str
    gutter_text: str
    error_line: str
    # state -> (text colour, background colour)
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)
    difficulty: dict[str, str] = field(default_factory=dict)
    diff: DiffColours = DIFF_LIGHT

    def verdict_colours(self, state: str) -> tuple[QColor, QColor | None]:
        foreground, background = self.verdicts.get(state, (self.muted, ""))
        return QColor(foreground), (QColor(background) if background else None)


LIGHT = Theme(
    name="light", dark=False, window="#f3f4f7", base="#ffffff", alt_base="#f8f9fb",
    text="#1f2328", muted="#656d76", border="#d8dce3", accent="#2f6feb", highlight="#dbe7ff",
    pygments_style="default", editor_background="#ffffff", current_line="#f2f6fd",
    gutter_text="#9aa3ad", error_line="#ffe3e0",
    verdicts={
        "QUEUED": ("#8c959f", ""), "RUNNING": ("#0969da", "#ddf4ff"),
        "KILLED": ("#116329", "#dafbe1"), "SURVIVED": ("#b42318", "#ffebe9"),
        "TIMEOUT": ("#7d4e00", "#fff3c4"), "MEMORY": ("#7d4e00", "#fff3c4"),
        "ERROR": ("#6639ba", "#f3e8ff"), "NOT RUN": ("#8c959f", ""),
        "PASSED": ("#116329", "#dafbe1"), "FAILED": ("#b42318", "#ffebe9"),
    },
    difficulty={"Very Easy": "#1b7c83", "Easy": "#1a7f37", "Medium": "#bf8700", "Hard": "#cf222e"},
)

DARK = Theme(
    name="dark", dark=True, window="#15171c", base="#1c1f26", alt_base="#1f232a",
    text="#e6edf3", muted="#9aa4af", border="#2d323b", accent="#4c8dff", highlight="#233b66",
    pygments_style="github-dark", editor_background="#1c1f26", current_line="#232833",
    gutter_text="#5f6773", error_line="#4a1f22",
    verdicts={
        "QUEUED": ("#7d8590", ""), "RUNNING": ("#79c0ff", "#0c2d4d"),
        "KILLED": ("#56d364", "#12331c"), "SURVIVED": ("#ff7b72", "#3d1618"),
        "TIMEOUT": ("#e3b341", "#3a2e0b"), "MEMORY": ("#e3b341", "#3a2e0b"),
        "ERROR": ("#d2a8ff", "#2e2142"), "NOT RUN": ("#7d8590", ""),
        "PASSED": ("#56d364", "#12331c"), "FAILED": ("#ff7b72", "#3d1618"),
    },
    difficulty={"Very Easy": "#2a9ca5", "Easy": "#2ea043", "Medium": "#bb8009", "Hard": "#da3633"},
    diff=DIFF_DARK,
)

_current: Theme = LIGHT


def current_theme() -> Theme:
    return _current


def forced_choice() -> str:
    """``light`` or ``dark`` when ``QA_ARENA_THEME`` forces one, else ``""``."""
    forced = env_settings.current().theme
    return forced if forced in ("light", "dark") else ""


def system_prefers_dark() -> bool:
    forced = forced_choice()
    if forced:
        return forced == "dark"
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _palette(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window, QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base, QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.WindowText: theme.text, QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Button: theme.base, QPalette.ColorRole.Highlight: theme.highlight,
        QPalette.ColorRole.HighlightedText: theme.text, QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text, QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Link: theme.accent, QPalette.ColorRole.Mid: theme.border,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return palette


def stylesheet(theme: Theme) -> str:
    """The theme's QSS; ``@resources@`` in it becomes the resources folder (for ``url()``)."""
    resources = paths.resources_dir()
    try:
        text = (resources / "styles" / f"{theme.name}.qss").read_text(encoding="utf-8")
    except OSError:
        return ""  # a missing stylesheet leaves the Fusion look, never a crash
    return text.replace("@resources@", resources.as_posix())


def apply_theme(app: QApplication, theme: Theme) -> None:
    global _current
    _current = theme
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setStyleSheet(stylesheet(theme))


class ThemeManager(QObject):
    """Applies the chosen theme: light, dark, or the system's scheme (again whenever the
    system switches). One per application, its child: :func:`theme_manager` finds it."""

    changed = Signal(object)  # the new Theme

    def __init__(self, app: QApplication, choice: str = FOLLOW_SYSTEM) -> None:
        super().__init__(app)
        self.setObjectName("qaArenaThemeManager")
        self._app = app
        self.choice = choice if choice in CHOICES else FOLLOW_SYSTEM
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.apply()

    def choose(self, choice: str) -> Theme:
        """Switch to ``choice`` (one of :data:`CHOICES`) now."""
        self.choice = choice if choice in CHOICES else FOLLOW_SYSTEM
        return self.apply()

    def apply(self) -> Theme:
        if self.choice == FOLLOW_SYSTEM:
            theme = DARK if system_prefers_dark() else LIGHT
        else:
            theme = DARK if self.choice == "dark" else LIGHT
        if theme is not _current or not self._app.styleSheet():
            apply_theme(self._app, theme)
            self.changed.emit(theme)
        return theme

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == FOLLOW_SYSTEM:
            self.apply()


def theme_manager(create: bool = True) -> ThemeManager | None:
    """The application's theme manager; made (and applied) on first use when ``create``."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    found = app.findChild(ThemeManager, "qaArenaThemeManager")
    if found is None and create:
        found = ThemeManager(app)
    return found
