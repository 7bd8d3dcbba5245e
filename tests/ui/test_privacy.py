"""Privacy tools: the access log per client with its PDF, the chain check, retention destruction."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.errors import DomainError
from liaison_desktop.ui.client_file import ClientFileView
from liaison_desktop.ui.privacy import RetentionDialog
from tests.ui.helpers_views import (
    add_client,
    click_box,
    make_ops,
    save_screenshot,
    wait_idle,
)


@pytest.fixture
def ops(services):
    yield from make_ops(services)


@pytest.fixture
def log_dialog(qtbot, services, ops):
    client, _, _ = add_client(services, first="Sanne", last="de Vries")
    view = ClientFileView(ops)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.sig_file_opened, timeout=10000):
        view.open_client(client.id)
    wait_idle(qtbot, ops)
    dialog = view.open_access_log()
    assert dialog is not None
    wait_idle(qtbot, ops)
    return dialog


def test_access_log_lists_who_opened_the_file(qtbot, qtmodeltester, log_dialog):
    m = log_dialog.model
    actions = {m.data(m.index(r, 2)) for r in range(m.rowCount())}
    assert {"Aangemaakt", "Geopend", "Gewijzigd"} <= actions
    assert {m.data(m.index(r, 1)) for r in range(m.rowCount())} == {"Fatima Jeugdprofessional"}
    assert m.data(m.index(0, 2)) == "Geopend"  # newest first
    qtmodeltester.check(m)


def test_access_log_pdf_for_the_client(qtbot, ops, services, log_dialog, tmp_path):
    out = tmp_path / "inzage.pdf"
    log_dialog.choose_pdf_path = lambda: str(out)
    client_id = log_dialog._client_id
    exports_before = [e for e in services.access_log_for_client(client_id) if e.action == "export"]
    qtbot.mouseClick(log_dialog.pdf_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    exports = [e for e in services.access_log_for_client(client_id) if e.action == "export"]
    assert len(exports) == len(exports_before) + 1  # the PDF is an export: logged
    assert exports[-1].object_type == "access_log_pdf"
    assert services.verify_access_log().ok
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", data)
    assert len(pages) >= 1
    assert "1 pagina" in log_dialog.banner.text()
    save_screenshot(log_dialog, "access_log")


def test_verify_chain_from_the_dialog(qtbot, ops, log_dialog):
    qtbot.mouseClick(log_dialog.verify_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    assert "in orde" in log_dialog.banner.text()


def test_pdf_failure_is_explained(qtbot, ops, log_dialog, tmp_path):
    log_dialog.choose_pdf_path = lambda: str(tmp_path / "missing" / "dir" / "x.pdf")
    qtbot.mouseClick(log_dialog.pdf_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)
    text = log_dialog.banner.text()
    assert "PDF" in text


def test_retention_destruction_needs_confirmation_and_is_logged(
    qtbot, qtmodeltester, services, ops
):
    old, _, _ = add_client(services, first="Oud", last="Dossier")
    other, _, _ = add_client(services, first="Ander", last="Dossier")
    services.today = lambda: date(2047, 1, 1)  # both files are now past 20 years
    dialog = RetentionDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load()
    wait_idle(qtbot, ops)
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    assert not dialog.destroy_button.isEnabled()

    row = [i.client_id for i in dialog.model.records()].index(old.id)
    dialog.table.selectRow(row)
    assert not dialog.destroy_button.isEnabled()  # not confirmed yet
    click_box(qtbot, dialog.confirm)
    assert dialog.destroy_button.isEnabled()
    save_screenshot(dialog, "retention")
    qtbot.mouseClick(dialog.destroy_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ops)

    with pytest.raises(DomainError):
        services.open_client(old.id)
    assert services.open_client(other.id).client.id == other.id
    entries = services.access_log_for_client(old.id)
    assert entries[-1].action == dm.AccessAction.DESTROY
    assert services.verify_access_log().ok
    assert [i.client_id for i in dialog.model.records()] == [other.id]
    assert not dialog.confirm.isChecked()
    assert "vernietigd" in dialog.banner.text()
