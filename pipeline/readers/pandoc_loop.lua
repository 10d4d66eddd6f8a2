-- unres: pandoc kept running.  Reads requests from standard input, each a line
-- "<format> <byte count>" followed by that many bytes of text, and answers each
-- with a line "ok <byte count>" and pandoc's JSON AST, or "error <byte count>"
-- and the message.  No file, no network: only these two pipes.
io.stdout:setvbuf("full")
while true do
  local header = io.read("l")
  if not header then break end
  local fmt, n = header:match("^(%S+) (%d+)$")
  if not fmt then
    io.write("error 14\nbad request\n\n")
    io.stdout:flush()
    break
  end
  -- io.read(0) would wait for the next byte (it tests for the end of input)
  local size = tonumber(n)
  local text = size > 0 and (io.read(size) or "") or ""
  local ok, res = pcall(function()
    return pandoc.write(pandoc.read(text, fmt), "json")
  end)
  if not ok then res = tostring(res) end
  io.write(ok and "ok " or "error ", #res, "\n", res)
  io.stdout:flush()
end
