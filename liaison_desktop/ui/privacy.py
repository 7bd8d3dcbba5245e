"""Privacy tools: who opened a file (with a PDF for the client), the log-chain check, retention."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from liaison_desktop.domain.accesslog import AccessEntry, ChainReport
from liaison_desktop.services.api import Changes, Result, RetentionItem, Services
from liaison_desktop.ui import labels
from liaison_desktop.ui.forms import Banner, Level, StaleGuard, report_failure
from liaison_desktop.ui.ops import Ops, TaskState
from liaison_desktop.ui.records import Column, RecordTableModel, configure_table


def describe_chain_report(report: ChainReport) -> tuple[str, Level]:
    """A Dutch explanation of a chain check, and how loudly to show it."""
    if report.ok:
        text = QCoreApplication.translate(
            "Privacy",
            "Het toegangslog is in orde: %1 regels gecontroleerd, er ontbreekt niets en er is "
            "niets gewijzigd.",
        )
        return text.replace("%1", str(report.checked)), Level.SUCCESS
    text = QCoreApplication.translate(
        "Privacy",
        "Het toegangslog klopt niet vanaf regel %1: %2 Dat kan komen door een beschadigd "
        "bestand of doordat iemand het log heeft aangepast. Meld dit bij functioneel beheer; "
        "werken met de dossiers kan gewoon door.",
    )
    return text.replace("%1", str(report.first_broken_seq)).replace(
        "%2", report.reason
    ), Level.ERROR


def verify_chain(ops: Ops, banner: Banner, guard: StaleGuard) -> None:
    """Check the whole access-log chain on the worker and show the outcome in ``banner``."""
    banner.show_message(QCoreApplication.translate("Privacy", "Toegangslog wordt gecontroleerd…"))
    ops.run(
        lambda services, state: services.verify_access_log(),
        success=guard.wrap(lambda report: banner.show_message(*describe_chain_report(report))),
        failure=guard.wrap(
            lambda exc: report_failure(
                ops, exc, lambda e: banner.show_message(e.message, Level.ERROR)
            )
        ),
    )


@dataclass(frozen=True, slots=True)
class AccessRow:
    """One access-log entry as the professional and the client read it."""

    at: datetime
    who: str
    action: str
    object: str
    device: str


def access_rows(
    entries: Sequence[AccessEntry], names: dict[str, str], unknown: str
) -> list[AccessRow]:
    """Readable rows, newest first; ``names`` maps professional ids to names."""
    actions, objects = labels.access_action_labels(), labels.object_type_labels()
    rows = []
    for e in entries:
        moment = datetime.fromisoformat(e.at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        who = names.get(e.actor_id, unknown)
        if e.on_behalf_of != e.actor_id:
            who += f" ({names.get(e.on_behalf_of, unknown)})"
        rows.append(
            AccessRow(
                at=moment.astimezone().replace(tzinfo=None),
                who=who,
                action=actions.get(e.action, e.action),
                object=objects.get(e.object_type, e.object_type),
                device=e.device_id[:8],
            )
        )
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows


def access_log_document(
    title: str, intro: str, headers: Sequence[str], rows: Sequence[AccessRow]
) -> QTextDocument:
    """The overview as a rich-text document (every value HTML-escaped)."""
    cells = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(v)}</td>"
            for v in (labels.format_datetime(r.at), r.who, r.action, r.object, r.device)
        )
        + "</tr>"
        for r in rows
    )
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    body = (
        f"<h2>{html.escape(title)}</h2>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in intro.split("\n\n"))
        + "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        + f"<thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
    )
    doc = QTextDocument()
    doc.setDefaultStyleSheet("th { background-color: #e8e8e8; }")
    font = doc.defaultFont()
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    doc.setHtml(body)
    return doc


def write_access_log_pdf(
    path: Path, title: str, intro: str, headers: Sequence[str], rows: Sequence[AccessRow]
) -> int:
    """Write the overview as a PDF with Qt's own writer; returns the number of pages.

    Uses only QTextDocument and QPdfWriter, which may run on the worker thread.
    """
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Liaison Desktop")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = access_log_document(title, intro, headers, rows)
    # Paginate for the writer ourselves: fonts at its resolution, one page per paint rect,
    # no extra frame margin (the page layout has the margins); then pageCount() is exact.
    doc.documentLayout().setPaintDevice(writer)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    frame = doc.rootFrame().frameFormat()
    frame.setMargin(0)
    doc.rootFrame().setFrameFormat(frame)
    doc.print_(writer)
    return doc.pageCount()


class AccessLogDialog(QDialog):
    """'Wie heeft dit dossier geopend': the client's access log, as a table and as a PDF.

    ``choose_pdf_path`` asks where to save the PDF; tests replace it. GUI thread only.
    """

    def __init__(
        self, ops: Ops, client_id: str, client_label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._client_id = client_id
        self._client_label = client_label
        self._guard = StaleGuard()
        self._rows: list[AccessRow] = []
        self.choose_pdf_path: Callable[[], str | None] = self._ask_pdf_path
        title = self.tr("Wie heeft dit dossier geopend")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        intro = QLabel(
            self.tr(
                "Elke keer dat iemand het dossier van %1 opent, wijzigt, exporteert of "
                "vernietigt, legt Liaison vast wie dat deed, wanneer en vanaf welk apparaat. "
                "Maak er een PDF van als de cliënt om inzage vraagt."
            ).replace("%1", client_label),
            self,
        )
        intro.setWordWrap(True)
        self.banner = Banner(self)
        self.headers = [
            self.tr("Wanneer"),
            self.tr("Wie"),
            self.tr("Wat"),
            self.tr("Onderdeel"),
            self.tr("Apparaat"),
        ]
        self.model: RecordTableModel[AccessRow] = RecordTableModel(
            [
                Column(self.headers[0], lambda r: labels.format_datetime(r.at)),
                Column(self.headers[1], lambda r: r.who),
                Column(self.headers[2], lambda r: r.action),
                Column(self.headers[3], lambda r: r.object),
                Column(self.headers[4], lambda r: r.device),
            ],
            self,
        )
        self.table = QTableView(self)
        configure_table(self.table, self.tr("Toegangslog van dit dossier"))
        self.table.setModel(self.model)
        self.pdf_button = QPushButton(self.tr("&PDF maken voor de cliënt…"), self)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.pdf_button.setEnabled(False)
        self.verify_button = QPushButton(self.tr("&Keten controleren"), self)
        self.verify_button.setToolTip(
            self.tr("Controleert of er in het hele toegangslog niets is weggehaald of veranderd.")
        )
        self.verify_button.clicked.connect(self.verify)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def load(self) -> None:
        cid = self._client_id

        def read(services: Services, state: TaskState) -> tuple[list[AccessEntry], dict[str, str]]:
            entries = services.access_log_for_client(cid)
            me = services.professional()
            return entries, ({me.id: me.name} if me else {})

        self.banner.show_message(self.tr("Toegangslog wordt gelezen…"))
        self._ops.run(
            read, success=self._guard.wrap(self._show), failure=self._guard.wrap(self._failed)
        )

    def _show(self, result: tuple[list[AccessEntry], dict[str, str]]) -> None:
        entries, names = result
        self._rows = access_rows(entries, names, self.tr("andere medewerker"))
        self.model.set_records(self._rows)
        self.table.resizeColumnsToContents()
        self.pdf_button.setEnabled(bool(self._rows))
        self.banner.dismiss()

    def _failed(self, exc: BaseException) -> None:
        report_failure(self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR))

    def verify(self) -> None:
        verify_chain(self._ops, self.banner, self._guard)

    def _ask_pdf_path(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("PDF opslaan"), "toegangslog.pdf", self.tr("PDF-bestand (*.pdf)")
        )
        return path or None

    def export_pdf(self) -> None:
        path = self.choose_pdf_path()
        if not path:
            return
        title = self.tr("Wie heeft dit dossier geopend")
        made = labels.format_datetime(datetime.now())
        intro = (
            self.tr("Overzicht voor %1, gemaakt op %2.")
            .replace("%1", self._client_label)
            .replace("%2", made)
            + "\n\n"
            + self.tr(
                "Bij de jeugdprofessional van de huisartsenpraktijk wordt elke keer vastgelegd "
                "wie het dossier opent, wijzigt, exporteert of vernietigt, wanneer en vanaf "
                "welk apparaat (volgens de norm NEN 7513). Dit overzicht is gemaakt omdat u "
                "om inzage vroeg. Heeft u vragen, neem dan contact op met de praktijk."
            )
        )
        headers, rows = list(self.headers), list(self._rows)
        client_id = self._client_id
        self.banner.show_message(self.tr("PDF wordt gemaakt…"))

        def write(services: Services, state: Any) -> int:
            pages = write_access_log_pdf(Path(path), title, intro, headers, rows)
            services.log_export(client_id, "access_log_pdf")  # an export like any other
            return pages

        self._ops.run(
            write,
            success=self._guard.wrap(lambda pages: self._pdf_done(Path(path), pages)),
            failure=self._guard.wrap(self._pdf_failed),
        )

    def _pdf_done(self, path: Path, pages: int) -> None:
        count = (
            self.tr("1 pagina") if pages == 1 else self.tr("%1 pagina's").replace("%1", str(pages))
        )
        self.banner.show_message(
            self.tr("De PDF is opgeslagen als %1 (%2).")
            .replace("%1", path.name)
            .replace("%2", count),
            Level.SUCCESS,
        )

    def _pdf_failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            self.banner.show_message(
                self.tr(
                    "De PDF kon niet worden opgeslagen. Kies een andere map, bijvoorbeeld "
                    "Documenten, en probeer het opnieuw."
                ),
                Level.ERROR,
            )
        else:
            self._failed(exc)

    def done(self, result: int) -> None:
        self._guard.bump()
        super().done(result)


class RetentionDialog(QDialog):
    """Files past their retention date, and their confirmed, logged destruction."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._guard = StaleGuard()
        self._task: Any = None
        title = self.tr("Bewaartermijn verlopen")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        intro = QLabel(
            self.tr(
                "Jeugddossiers worden 20 jaar bewaard na de laatste wijziging en daarna "
                "vernietigd. Hieronder staan de dossiers waarvan die termijn voorbij is. "
                "Controleer of er geen reden is om een dossier langer te bewaren (bijvoorbeeld "
                "een lopende klacht); vernietigen kan niet ongedaan worden gemaakt en wordt "
                "vastgelegd in het toegangslog."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.banner = Banner(self)
        self.model: RecordTableModel[RetentionItem] = RecordTableModel(
            [
                Column(self.tr("Dossiernummer"), lambda i: i.client_id[:8]),
                Column(self.tr("Laatst gewijzigd"), lambda i: labels.format_date(i.last_change)),
                Column(self.tr("Bewaren tot"), lambda i: labels.format_date(i.deadline)),
            ],
            self,
        )
        self.table = QTableView(self)
        configure_table(self.table, self.tr("Dossiers met verlopen bewaartermijn"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.confirm = QCheckBox(
            self.tr(
                "Ik heb gecontroleerd dat de gekozen dossiers vernietigd mogen worden. "
                "Dit kan niet ongedaan worden gemaakt."
            ),
            self,
        )
        self.confirm.toggled.connect(self._update_buttons)
        self.destroy_button = QPushButton(self.tr("Gekozen dossiers &vernietigen"), self)
        self.destroy_button.clicked.connect(self.destroy_selected)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(self.tr("Voortgang vernietigen"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))
        buttons.addButton(self.destroy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.confirm)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)
        self.resize(640, 440)
        self._update_buttons()

    def load(self) -> None:
        self._ops.run(
            lambda services, state: services.past_retention(),
            success=self._guard.wrap(self._show),
            failure=self._guard.wrap(self._failed),
        )

    def _show(self, items: list[RetentionItem]) -> None:
        self.model.set_records(items)
        self.table.resizeColumnsToContents()
        if not items and not self.banner.text():
            self.banner.show_message(
                self.tr("Er zijn geen dossiers waarvan de bewaartermijn voorbij is."), Level.INFO
            )
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self._update_buttons()
        report_failure(self._ops, exc, lambda e: self.banner.show_message(e.message, Level.ERROR))

    def _selected(self) -> list[RetentionItem]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.record(r) for r in rows]

    def _update_buttons(self, *_args: Any) -> None:
        busy = self._task is not None
        self.destroy_button.setEnabled(
            not busy and self.confirm.isChecked() and bool(self._selected())
        )
        self.table.setEnabled(not busy)
        self.confirm.setEnabled(not busy)

    def destroy_selected(self) -> None:
        """Destroy the chosen files on the worker; each destruction is logged by the services."""
        ids = [i.client_id for i in self._selected()]
        if not ids or not self.confirm.isChecked():
            return

        def destroy(services: Services, state: TaskState) -> Result[list[str]]:
            done: list[str] = []
            changes = Changes()
            for n, cid in enumerate(ids):
                if state.cancelled:
                    break
                changes = changes | services.destroy_client(cid, confirmed=True).changes
                done.append(cid)
                state.progress(n + 1, len(ids), "")
            return Result(done, changes)

        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._task = self._ops.run(
            destroy,
            success=self._guard.wrap(self._destroyed),
            failure=self._guard.wrap(self._destroy_failed),
            progress=self._guard.wrap(lambda done, total, _text: self.progress.setValue(done)),
        )
        self._update_buttons()

    def _destroyed(self, result: Result[list[str]]) -> None:
        self._task = None
        self.progress.setVisible(False)
        self.confirm.setChecked(False)
        self.banner.show_message(
            self.tr(
                "%n dossier(s) vernietigd. Dit staat in het toegangslog.", "", len(result.value)
            ),
            Level.SUCCESS,
        )
        self.load()

    def _destroy_failed(self, exc: BaseException) -> None:
        self._task = None
        self._failed(exc)
        self.load()

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.cancel()
        self._guard.bump()
        super().done(result)
