//! The language server with real clients: pytest-lsp, and Neovim's own
//! LSP client opening a file and applying a quick fix.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_copylint");

#[test]
#[ignore = "needs pytest-lsp: pip install pytest-lsp into a venv and set COPYLINT_PYTEST to its pytest"]
fn pytest_lsp_drives_the_server() {
    let pytest = std::env::var("COPYLINT_PYTEST").unwrap_or_else(|_| "pytest".into());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp");
    let out = Command::new(&pytest)
        .args([
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            ".",
        ])
        .current_dir(&dir)
        .env("COPYLINT_BIN", BIN)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {pytest}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 passed"), "{stdout}");
}

/// Neovim (0.7 and later) attaches copylint to a buffer, waits for its
/// diagnostics, applies the quick fix the server offers, and writes the file.
const NVIM_SCRIPT: &str = r#"
local bin, policy = vim.env.COPYLINT_BIN, vim.env.COPYLINT_POLICY
local client = vim.lsp.start_client({
  name = "copylint",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.getcwd(),
  init_options = { policies = { policy }, noDefaultPolicy = true },
})
vim.lsp.buf_attach_client(0, client)
local ok = vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
if not ok then
  io.stderr:write("no diagnostics\n")
  vim.cmd("cquit 3")
end
local d = vim.diagnostic.get(0)[1]
local f = io.open("diagnostic.txt", "w")
f:write(string.format("%d:%d-%d:%d %s", d.lnum, d.col, d.end_lnum, d.end_col, d.message))
f:close()
local params = {
  textDocument = vim.lsp.util.make_text_document_params(),
  range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
  context = { diagnostics = {} },
}
local results = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000)
for _, res in pairs(results or {}) do
  for _, action in ipairs(res.result or {}) do
    if action.title:match("^Replace") then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
end
vim.cmd("write")
vim.cmd("qall!")
"#;

#[test]
#[ignore = "needs neovim (apt-get install neovim)"]
fn neovim_receives_diagnostics_and_applies_a_quick_fix() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("acme.toml");
    std::fs::write(
        &policy,
        "name = \"acme\"\n[[rules]]\nid = \"acme-cloud\"\nseverity = \"warning\"\nmessage = \"write Acme Cloud\"\npattern = \"acmecloud\"\nfix = \"Acme Cloud\"\nexplanation = \"e\"\nbad = [\"Try AcmeCloud.\"]\ngood = [\"Try Acme Cloud.\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("page.md"),
        "# Hi\n\n🙂 Try AcmeCloud today.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("test.lua"), NVIM_SCRIPT).unwrap();
    let out = Command::new("nvim")
        .args([
            "--headless",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "page.md",
            "-c",
            "luafile test.lua",
        ])
        .current_dir(dir.path())
        .env("COPYLINT_BIN", BIN)
        .env("COPYLINT_POLICY", &policy)
        .output()
        .expect("nvim runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The squiggle sat under the word: Neovim turns the server's UTF-16
    // positions into byte columns, and "🙂 Try " is 9 bytes.
    let diagnostic = std::fs::read_to_string(dir.path().join("diagnostic.txt")).unwrap();
    assert_eq!(diagnostic, "2:9-2:18 write Acme Cloud");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("page.md")).unwrap(),
        "# Hi\n\n🙂 Try Acme Cloud today.\n"
    );
}
