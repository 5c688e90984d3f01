-- English, the reference language. A translation is a copy of this file as plugins/lang/<code>.lua
-- with the values translated; keys it leaves out fall back to these. {name} is a placeholder.
return {
  -- BEGIN common
  ["common.groups_only"] = "This works in groups.",
  ["common.need_target"] = "Reply to a message, or give a user id or @username.",
  ["common.bad_user_id"] = "That is not a user id.",
  ["common.unseen_username"] = "I have not seen {username} yet: reply to one of their messages instead.",
  ["common.not_myself"] = "I will not do that to myself.",
  ["common.not_yourself"] = "You cannot do that to yourself.",
  ["common.not_admin"] = "I will not do that to an admin.",
  ["common.failed"] = "I could not {what}: {why}",
  ["common.by"] = "by {name}",
  ["common.on"] = "on",
  ["common.off"] = "off",
  -- END common

  -- BEGIN punish
  ["punish.warned"] = "{name} has {count}/{limit} warnings: {reason}",
  ["punish.muted"] = "Muted {name}: {reason}",
  ["punish.tmuted"] = "Muted {name} for {duration}: {reason}",
  ["punish.kicked"] = "Kicked {name}: {reason}",
  ["punish.banned"] = "Banned {name}: {reason}",
  ["punish.tbanned"] = "Banned {name} for {duration}: {reason}",
  ["punish.limit_reached"] = "{name} reached {limit} warnings.",
  ["punish.remove_warn"] = "Remove warn (admins)",
  -- END punish

  -- BEGIN log
  ["log.entry"] = "#{action} in {chat}\nBy: {actor}\nUser: {target}\nReason: {reason}",
  ["log.automatic"] = "Warden (automatic)",
  -- END log

  -- BEGIN bans
  ["bans.unbanned"] = "Unbanned {name}.",
  ["bans.unmuted"] = "Unmuted {name}.",
  ["bans.list_line"] = "• {name} ({id}): {reason}",
  ["bans.list_empty"] = "Nobody is banned here.",
  ["bans.list_title"] = "Banned here:",
  ["bans.del_needs_reply"] = "Reply to the message to delete.",
  ["bans.purge_needs_reply"] = "Reply to the first message to delete.",
  ["bans.purge_too_old"] = "Telegram lets bots delete only messages from the last 48 hours.",
  ["bans.purge_too_many"] = "That is more than 1000 messages; reply to a later one.",
  ["bans.purge_what"] = "delete those messages",
  ["bans.info_user"] = "{name} — id {id}",
  ["bans.info_role"] = "Role here: {role}",
  ["bans.info_warns"] = "Warnings: {count}",
  ["bans.info_banned"] = "Banned on {date}: {reason}",
  ["bans.info_muted"] = "Muted on {date}: {reason}",
  ["bans.info_gbanned"] = "Globally banned: {reason}",
  ["bans.returning"] = "came back while banned ({reason})",
  ["bans.kickme_admin"] = "Admins cannot kick themselves.",
  ["bans.kickme_bye"] = "Bye, {name}.",
  -- END bans

  -- BEGIN flood
  -- END flood

  -- BEGIN antiraid
  -- END antiraid

  -- BEGIN captcha
  -- END captcha

  -- BEGIN locks
  -- END locks

  -- BEGIN blocklist
  -- END blocklist

  -- BEGIN warns
  -- END warns

  -- BEGIN welcome
  -- END welcome

  -- BEGIN reports
  -- END reports

  -- BEGIN settings
  -- END settings

  -- BEGIN roles
  -- END roles

  -- BEGIN logchannel
  -- END logchannel

  -- BEGIN plugins
  -- END plugins

  -- BEGIN sudo
  -- END sudo

  -- BEGIN gban
  -- END gban
}
