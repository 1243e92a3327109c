-- Headless Neovim script driven by tests/editors/test_nvim.py (used as `nvim --headless -u THIS`).
-- Loads editors/nvim like a user would (runtimepath + require("nilmap").setup()), opens
-- $TARGET_FILE, waits for the nilmap diagnostic, applies the quick fix through
-- vim.lsp.buf.code_action(), waits for the diagnostic to go, writes the file and records
-- what it saw as JSON lines in $RESULT_FILE. Always exits (a Lua error would otherwise leave
-- headless Neovim waiting).
local out = {}
local function record(kind, value)
  table.insert(out, vim.fn.json_encode({ kind = kind, value = value }))
end

vim.opt.runtimepath:prepend(vim.env.PLUGIN_DIR)
vim.cmd("filetype plugin on") -- filetype detection is not on yet while -u runs
vim.lsp.set_log_level("debug")
record("log", vim.lsp.get_log_path())
record("version", tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch)

local attached = {}
local function main()
  local nilmap = require("nilmap")
  nilmap.setup({
    cmd = vim.fn.json_decode(vim.env.NILMAP_CMD),
    settings = { rules = { NM001 = { enabled = true, severity = "error" } }, exclude = {} },
    on_attach = function(client, bufnr)
      table.insert(attached, { name = client.name, bufnr = bufnr, root = client.config.root_dir })
    end,
  })
  record("native_config", nilmap.has_native_config())

  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.TARGET_FILE))
  record("filetype", vim.bo.filetype)
  local function nilmap_diags()
    local res = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if d.source == "nilmap" or (d.code and tostring(d.code):match("^NM")) then
        table.insert(res, d)
      end
    end
    return res
  end
  local got = vim.wait(30000, function() return #nilmap_diags() > 0 end, 50)
  record("attached", attached)
  if not got then
    error("no nilmap diagnostic within 30 s")
  end
  local d = nilmap_diags()[1]
  record("diagnostic", {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, message = d.message, source = d.source,
    code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
  })

  -- Settings reach the running server: NM001 as a warning, then back to an error.
  nilmap.notify_settings({ rules = { NM001 = { enabled = true, severity = "warning" } }, exclude = {} })
  local warned = vim.wait(15000, function()
    local ds = nilmap_diags()
    return #ds > 0 and ds[1].severity == vim.diagnostic.severity.WARN
  end, 50)
  nilmap.notify_settings({ rules = { NM001 = { enabled = true, severity = "error" } }, exclude = {} })
  local back = vim.wait(15000, function()
    local ds = nilmap_diags()
    return #ds > 0 and ds[1].severity == vim.diagnostic.severity.ERROR
  end, 50)
  record("settings", { warning = warned, error_again = back })
  d = nilmap_diags()[1]

  local before = vim.api.nvim_buf_get_changedtick(0)
  local titles = {}
  vim.ui.select = function(items, opts, on_choice)
    local pick, idx = nil, nil
    for i, item in ipairs(items) do
      local action = item.action or item[2] or item
      table.insert(titles, action.title)
      if pick == nil and action.isPreferred then pick, idx = item, i end
    end
    if pick == nil then pick, idx = items[1], 1 end
    on_choice(pick, idx)
  end
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  if vim.fn.has("nvim-0.8") == 1 then
    vim.lsp.buf.code_action({ filter = function(a) return a.kind == nil or a.kind:match("^quickfix") ~= nil end })
  else
    vim.lsp.buf.code_action()
  end
  local changed = vim.wait(15000, function() return vim.api.nvim_buf_get_changedtick(0) ~= before end, 50)
  record("actions", titles)
  if #titles == 0 then
    error("the server offered no code action at the diagnostic")
  end
  if not changed then
    error("the code action did not change the buffer")
  end
  local cleared = vim.wait(15000, function() return #nilmap_diags() == 0 end, 50)
  record("cleared", cleared)
  vim.cmd("silent write")
  record("written", true)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  record("error", err)
end
vim.fn.writefile(out, vim.env.RESULT_FILE)
vim.cmd("qall!")
