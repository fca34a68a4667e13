-- A real editor as the client: Neovim's built-in LSP client starts
-- `nf-preflight lsp`, opens the config, waits for diagnostics, asks for the
-- code actions on line 1, applies "Enable Wave" through Neovim's own
-- workspace-edit code (which sends the incremental didChange), waits for the
-- new diagnostics and writes what it saw as JSON for tests/lsp/test_neovim.py.
-- Environment: NFP (the binary), NFP_LSP_FILE (the config), NFP_LSP_OUT.
-- Works with Neovim 0.7 (Debian 12) and later.
local nfp = os.getenv("NFP")
local file = os.getenv("NFP_LSP_FILE")
local out = os.getenv("NFP_LSP_OUT")
local result = { steps = {} }

local function finish(code)
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd((code == 0) and "qall!" or "cquit! " .. code)
end

local function rules(bufnr)
  local names = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(names, d.code or "?")
  end
  table.sort(names)
  return names
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "nf-preflight",
    cmd = { nfp, "lsp" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
    init_options = { ["nf-preflight"] = {} },
  })
  result.client_started = client_id ~= nil
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  result.got_diagnostics = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  result.before = rules(bufnr)
  result.before_full = vim.diagnostic.get(bufnr)

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } },
    context = { diagnostics = {} },
  }
  local resp = client.request_sync("textDocument/codeAction", params, 20000, bufnr)
  local titles, enable = {}, nil
  for _, a in ipairs((resp and resp.result) or {}) do
    table.insert(titles, a.title)
    if a.title == "Enable Wave" then enable = a end
  end
  result.actions = titles
  if enable then
    vim.lsp.util.apply_workspace_edit(enable.edit, client.offset_encoding or "utf-16")
    result.applied = true
    result.after_ok = vim.wait(20000, function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.code == "NFP009" then return false end
      end
      return true
    end, 50)
    result.after = rules(bufnr)
  end
  -- hover through the same client: the option on the cursor's line
  local hover = client.request_sync("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 3, character = 2 },
  }, 20000, bufnr)
  result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value or vim.NIL
  vim.cmd("write")
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 50)
end)
if not ok then result.error = tostring(err) end
finish(ok and 0 or 1)
