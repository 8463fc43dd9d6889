"""copylint's language server driven by a real LSP client (pytest-lsp).

Run through `cargo test --test it lsp_clients:: -- --include-ignored`, which
passes the binary as COPYLINT_BIN.
"""

import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

COPYLINT = os.environ.get("COPYLINT_BIN", "copylint")

PAGE = "# Launch\n\n🙂 Each agent calls on ChatGPT daily.\n"

POLICY = """
name = "acme"

[[rules]]
id = "acme-cloud"
severity = "warning"
message = "write “Acme Cloud”"
pattern = "acmecloud"
fix = "Acme Cloud"
explanation = "The product name has a space."
bad = ["Try AcmeCloud."]
good = ["Try Acme Cloud."]
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[COPYLINT, "lsp"]))
async def client(lsp_client: LanguageClient):
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def open_page(client: LanguageClient, path: pathlib.Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    return uri


@pytest.mark.asyncio
async def test_diagnostics_at_utf16_positions_then_a_change_clears_them(
    client: LanguageClient, tmp_path: pathlib.Path
):
    uri = open_page(client, tmp_path / "page.md", PAGE)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (diagnostic,) = client.diagnostics[uri]
    assert diagnostic.code == "calls-on-openai"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    # "🙂 Each agent " is 14 UTF-16 code units: the emoji counts two.
    assert diagnostic.range.start == types.Position(line=2, character=14)
    assert diagnostic.range.end == types.Position(line=2, character=30)

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text="Powered by OpenAI.\n")
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio
async def test_code_action_and_hover(client: LanguageClient, tmp_path: pathlib.Path):
    uri = open_page(client, tmp_path / "page.md", PAGE)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (diagnostic,) = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    titles = [a.title for a in actions]
    assert titles == [
        "Disable `calls-on-openai` for this line",
        "Disable `calls-on-openai` in this file",
    ]
    (edit,) = actions[0].edit.changes[uri]
    assert edit.new_text == "<!-- copylint-disable-next-line calls-on-openai -->\n"
    assert edit.range.start == types.Position(line=2, character=0)

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=diagnostic.range.start,
        )
    )
    assert "`calls-on-openai`" in hover.contents.value
    assert "Bad:" in hover.contents.value


@pytest.mark.asyncio
async def test_configuration_change_loads_a_policy_with_a_fix(
    client: LanguageClient, tmp_path: pathlib.Path
):
    policy = tmp_path / "acme.toml"
    policy.write_text(POLICY)
    uri = open_page(client, tmp_path / "page.md", "Try AcmeCloud today.\n")
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"copylint": {"policies": [str(policy)], "noDefaultPolicy": True}}
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (diagnostic,) = client.diagnostics[uri]
    assert diagnostic.code == "acme-cloud"
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions[0].title == "Replace with “Acme Cloud”"
    (edit,) = actions[0].edit.changes[uri]
    assert edit.new_text == "Acme Cloud"
    assert edit.range == diagnostic.range
