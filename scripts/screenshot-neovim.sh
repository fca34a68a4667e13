#!/bin/bash
# Makes docs/images/neovim-lsp.png: Neovim in a terminal (tmux) running
# `nf-preflight lsp` on a small pipeline config, showing the diagnostics, the
# launch code lens and the code-action menu with "Enable Wave". The pane is
# captured with its colours (tmux capture-pane -e) and drawn with ImageMagick
# (an MVG drawing of the cells in DejaVu Sans Mono).
#
# Usage: scripts/screenshot-neovim.sh [BUILD_DIR]   (needs nvim, tmux, convert)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
for tool in nvim tmux convert; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool is missing"; exit 1; }
done
tmp=$(mktemp -d)
sock="nfp-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/rnaseq-demo/.git"
cat > "$tmp/rnaseq-demo/nextflow.config" <<'CFG'
// demo pipeline
params {
    outdir = 'results'
    genome = 'GRCh38'
}

process {
    container = 'quay.io/biocontainers/salmon:1.10.1--h7e5ed60_0'
    cpus      = 4
    memroy    = '8 GB'
}

docker.enabled = true

profiles {
    wave { wave.enabled = true }
}
CFG
cat > "$tmp/demo.lua" <<LUA
vim.o.termguicolors = false
vim.o.signcolumn = 'yes'
vim.o.number = true
vim.diagnostic.config({ signs = true, underline = true, virtual_text = { prefix = '●', format = function(d)
  return #d.message > 40 and d.message:sub(1, 38) .. '…' or d.message end } })
vim.api.nvim_create_autocmd('VimEnter', { callback = function()
  local id = vim.lsp.start_client({ name = 'nf-preflight', cmd = { '$build/nf-preflight', 'lsp' },
                                    root_dir = '$tmp/rnaseq-demo' })
  vim.lsp.buf_attach_client(0, id)
  local tries = 0
  local function step()
    tries = tries + 1
    if #vim.diagnostic.get(0) == 0 and tries < 100 then return vim.defer_fn(step, 100) end
    vim.lsp.codelens.refresh()
    vim.defer_fn(function()
      vim.api.nvim_win_set_cursor(0, { 1, 0 })
      vim.lsp.buf.code_action()
    end, 700)
  end
  vim.defer_fn(step, 100)
end })
LUA
cd "$tmp/rnaseq-demo"
HOME=$tmp XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp XDG_STATE_HOME=$tmp TERM=xterm-256color \
  tmux -L "$sock" -f /dev/null new-session -d -x 172 -y 24 "nvim --clean -n -u $tmp/demo.lua nextflow.config"
sleep 6
tmux -L "$sock" capture-pane -e -p -t 0 > "$tmp/pane.ansi"
python3 - "$tmp/pane.ansi" "$tmp/pane.mvg" <<'PY'
import re, sys
# xterm's 256-colour palette
base = ["000000","cd0000","00cd00","cdcd00","0000ee","cd00cd","00cdcd","e5e5e5",
        "7f7f7f","ff0000","00ff00","ffff00","5c5cff","ff00ff","00ffff","ffffff"]
def c256(n):
    if n < 16: return base[n]
    if n < 232:
        n -= 16; v = [0, 95, 135, 175, 215, 255]
        return "%02x%02x%02x" % (v[n // 36], v[n // 6 % 6], v[n % 6])
    g = 8 + (n - 232) * 10
    return "%02x%02x%02x" % (g, g, g)
FG, BG = "d0d0d0", "1c1c1c"
cw, ch, pad = 9, 18, 8
rows = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")[:24]
cells = []
for y, line in enumerate(rows):
    fg, bg, bold, rev, x = FG, BG, False, False, 0
    for tok in re.split(r"(\x1b\[[0-9;]*m)", line):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", tok)
        if m:
            ps = [int(p) if p else 0 for p in m.group(1).split(";")] or [0]
            i = 0
            while i < len(ps):
                p = ps[i]
                if p == 0: fg, bg, bold, rev = FG, BG, False, False
                elif p == 1: bold = True
                elif p == 7: rev = True
                elif p == 22: bold = False
                elif p == 27: rev = False
                elif 30 <= p <= 37: fg = base[p - 30]
                elif 90 <= p <= 97: fg = base[p - 90 + 8]
                elif 40 <= p <= 47: bg = base[p - 40]
                elif 100 <= p <= 107: bg = base[p - 100 + 8]
                elif p == 39: fg = FG
                elif p == 49: bg = BG
                elif p in (38, 48) and i + 2 < len(ps) and ps[i + 1] == 5:
                    if p == 38: fg = c256(ps[i + 2])
                    else: bg = c256(ps[i + 2])
                    i += 2
                elif p in (38, 48) and i + 4 < len(ps) and ps[i + 1] == 2:
                    col = "%02x%02x%02x" % tuple(ps[i + 2:i + 5])
                    if p == 38: fg = col
                    else: bg = col
                    i += 4
                i += 1
            continue
        for chr_ in tok:
            f, b = (bg, fg) if rev else (fg, bg)
            cells.append((x, y, chr_, f, b, bold))
            x += 1
W, H = 172 * cw + 2 * pad, 24 * ch + 2 * pad
out = ["viewbox 0 0 %d %d" % (W, H), "fill '#%s' rectangle 0,0 %d,%d" % (BG, W, H),
       "font '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf'", "font-size 15"]
for x, y, c, f, b, bold in cells:
    if b != BG:
        out.append("fill '#%s' rectangle %d,%d %d,%d" % (b, pad + x * cw, pad + y * ch, pad + (x + 1) * cw, pad + (y + 1) * ch))
for x, y, c, f, b, bold in cells:
    if c.strip():
        esc = c.replace("\\", "\\\\").replace('"', '\\"')
        out.append("fill '#%s' text %d,%d \"%s\"" % (f, pad + x * cw, pad + y * ch + 14, esc))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
/usr/bin/convert -size 1564x448 "mvg:$tmp/pane.mvg" "$root/docs/images/neovim-lsp.png"
echo "wrote docs/images/neovim-lsp.png"
