-- Deutsch. A partial translation: every key not listed here falls back to plugins/lang/en.lua.
-- To translate more, copy lines from en.lua and translate the values; keep the {placeholders}.
return {
  ["common.groups_only"] = "Das geht nur in Gruppen.",
  ["common.need_target"] = "Antworte auf eine Nachricht oder gib eine Nutzer-ID oder einen @Benutzernamen an.",
  ["common.not_myself"] = "Das tue ich mir nicht selbst an.",
  ["common.not_yourself"] = "Das kannst du nicht mit dir selbst machen.",
  ["common.not_admin"] = "Das tue ich keinem Admin an.",
  ["common.on"] = "an",
  ["common.off"] = "aus",
  ["punish.warned"] = "{name} hat {count}/{limit} Verwarnungen: {reason}",
  ["punish.muted"] = "{name} ist stummgeschaltet: {reason}",
  ["punish.kicked"] = "{name} wurde entfernt: {reason}",
  ["punish.banned"] = "{name} wurde gesperrt: {reason}",
  ["bans.unbanned"] = "{name} ist entsperrt.",
  ["bans.kickme_bye"] = "Tschüss, {name}.",
  ["welcome.default"] = "Willkommen in {chat}, {mention}! Bitte lies die /rules.",
  ["welcome.no_rules"] = "Diese Gruppe hat keine Regeln. Admins können sie mit /setrules festlegen.",
  ["settings.lang_current"] = "Sprache dieser Gruppe: {lang}.",
  ["settings.lang_set"] = "Sprache: {lang}.",
  ["settings.refused"] = "Nur Admins können die Einstellungen ändern.",
}
