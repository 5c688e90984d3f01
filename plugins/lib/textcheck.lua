-- What a message contains, for locks and filters: links (entities and bare), scripts by Unicode block,
-- direction overrides and invisible characters, and a homoglyph-folded skeleton of text.
local M = {}

local function in_ranges(code, ranges)
  for _, range in ipairs(ranges) do
    if code >= range[1] and code <= range[2] then return true end
  end
  return false
end

local SCRIPTS = {
  arabic = { { 0x0600, 0x06FF }, { 0x0750, 0x077F }, { 0x08A0, 0x08FF }, { 0xFB50, 0xFDFF }, { 0xFE70, 0xFEFC } },
  cjk = { { 0x3040, 0x30FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xAC00, 0xD7AF }, { 0xF900, 0xFAFF } },
  cyrillic = { { 0x0400, 0x04FF }, { 0x0500, 0x052F } },
  -- Direction overrides and isolates, zero-width and invisible fillers spammers hide text with.
  rtl = { { 0x200B, 0x200F }, { 0x202A, 0x202E }, { 0x2060, 0x2064 }, { 0x2066, 0x2069 }, { 0xFEFF, 0xFEFF },
    { 0x3164, 0x3164 }, { 0x115F, 0x1160 }, { 0xFFA0, 0xFFA0 } },
}

--- Which of the scripts in `wanted` (a set of names) the text uses; invalid UTF-8 is read byte-wise.
function M.scripts(text, wanted)
  local found = {}
  if not text or text == "" then return found end
  local ok = pcall(function()
    for _, code in utf8.codes(text) do
      if code >= 0x0400 then
        for name in pairs(wanted) do
          if not found[name] and in_ranges(code, SCRIPTS[name]) then found[name] = true end
        end
      end
    end
  end)
  if not ok then found.rtl = wanted.rtl or nil end -- broken UTF-8 is itself a way to hide text
  return found
end

local LINK_PATTERNS = {
  "%a[%w+.-]*://", "www%.", "t%.me/", "telegram%.me/", "telegram%.dog/", "tg://",
  "[%w-]+%.[%w-]+%.?%a%a+/", "[%w-]+%.(com)%f[%W]", "[%w-]+%.(org)%f[%W]", "[%w-]+%.(net)%f[%W]",
  "[%w-]+%.(io)%f[%W]", "[%w-]+%.(ru)%f[%W]", "[%w-]+%.(xyz)%f[%W]", "[%w-]+%.(me)%f[%W]",
}

local NONE = {}
local LINK_ENTITIES = { url = true, text_link = true }

--- Whether a message carries a link: url/text_link entities (hidden links included) or a bare URL,
-- t.me or invite link in its text or caption.
function M.has_link(msg)
  if M.has_entity(msg, LINK_ENTITIES) then return true end
  local text = (msg.text or msg.caption or ""):lower()
  for _, pattern in ipairs(LINK_PATTERNS) do
    if text:find(pattern) then return true end
  end
  -- Buttons can carry links too.
  for _, row in ipairs(msg.reply_markup and msg.reply_markup.inline_keyboard or NONE) do
    for _, button in ipairs(row) do
      if button.url then return true end
    end
  end
  return false
end

local function any_entity(list, types)
  for _, entity in ipairs(list or NONE) do
    if types[entity.type] then return true end
  end
  return false
end

--- Whether the text or caption has an entity of one of these types.
function M.has_entity(msg, types)
  return any_entity(msg.entities, types) or any_entity(msg.caption_entities, types)
end

-- Look-alikes folded to the Latin letter they imitate (Cyrillic, Greek, digits and symbols).
local FOLD = {
  ["а"] = "a", ["А"] = "a", ["е"] = "e", ["Е"] = "e", ["о"] = "o", ["О"] = "o", ["р"] = "p", ["Р"] = "p",
  ["с"] = "c", ["С"] = "c", ["у"] = "y", ["У"] = "y", ["х"] = "x", ["Х"] = "x", ["і"] = "i", ["І"] = "i",
  ["ј"] = "j", ["к"] = "k", ["К"] = "k", ["м"] = "m", ["М"] = "m", ["н"] = "h", ["Н"] = "h", ["т"] = "t",
  ["Т"] = "t", ["в"] = "b", ["В"] = "b", ["ѕ"] = "s", ["ο"] = "o", ["Ο"] = "o", ["α"] = "a", ["Α"] = "a",
  ["ε"] = "e", ["Ε"] = "e", ["ι"] = "i", ["Ι"] = "i", ["κ"] = "k", ["ν"] = "v", ["ρ"] = "p", ["Ρ"] = "p",
  ["τ"] = "t", ["υ"] = "u", ["χ"] = "x", ["Χ"] = "x", ["0"] = "o", ["1"] = "i", ["3"] = "e", ["4"] = "a",
  ["5"] = "s", ["7"] = "t", ["@"] = "a", ["$"] = "s", ["!"] = "i", ["|"] = "l",
}

--- Lowercase letters only, look-alikes folded, fullwidth forms narrowed, everything else a single space:
-- "FR33  МОNЕY!!" and "free money" give the same skeleton.
function M.skeleton(text)
  local out = {}
  local ok = pcall(function()
    for _, code in utf8.codes(text) do
      local char = utf8.char(code)
      if code >= 0xFF01 and code <= 0xFF5E then char = string.char(code - 0xFEE0) end -- fullwidth ASCII
      char = FOLD[char] or char:lower()
      out[#out + 1] = char:match("^%w$") and char or (char:byte() >= 0x80 and char or " ")
    end
  end)
  if not ok then return " " .. text:lower():gsub("%W+", " ") .. " " end
  return " " .. table.concat(out):gsub("%s+", " ") .. " "
end

return M
