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

  -- BEGIN help
  ["help.title"] = "Plugins (/help NAME for usage):",
  ["help.unknown"] = "No plugin called {name}.",
  ["help.no_usage"] = "no usage given",
  ["id.you"] = "You: {user}",
  ["id.chat"] = "Chat: {title} — id {id}",
  ["id.replied"] = "Replied to: {user}",
  -- END help

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
  ["bans.kickme_as_chat"] = "Post as yourself to use /kickme: a channel cannot be removed this way.",
  ["bans.kickme_bye"] = "Bye, {name}.",
  -- END bans

  -- BEGIN flood
  ["flood.reason"] = "flood: {count} messages in {seconds} s",
  ["flood.gban_reason"] = "flooded {count} times within a day",
  ["flood.status"] = "Flood control: {state}\nMore than {max} messages in {seconds} s → {action}\nExempt: {exempt}",
  ["flood.max_set"] = "More than {value} messages is now a flood.",
  ["flood.time_set"] = "Messages are now counted over {value} seconds.",
  ["flood.action_set"] = "Flooders now get: {value}.",
  ["flood.on"] = "Flood control is on.",
  ["flood.off"] = "Flood control is off.",
  ["flood.on_off"] = "Say /flood on or /flood off.",
  ["flood.exempt_none"] = "Every kind of message counts again.",
  ["flood.exempt_set"] = "These no longer count: {value}.",
  ["flood.bad_kind"] = "{kind} is not a kind: text, photo, video, animation, sticker, video_note, voice, audio, "
    .. "document, contact, location, venue, poll, dice, game, story, …",
  ["flood.gban_on"] = "Whoever floods {count} times within a day (in any group) is now banned everywhere.",
  ["flood.gban_off"] = "Flooding does not lead to a global ban.",
  ["flood.gban_usage"] = "/floodgban K: a global ban after K floods within a day; 0 switches it off.",
  -- END flood

  -- BEGIN antiraid
  ["antiraid.started"] = "🚨 Raid: {count} people joined within {seconds} s. The group is locked down until {ends}: "
    .. "{action} until then. Admins: /antiraid end lifts it now.",
  ["antiraid.over"] = "The lockdown is over: newcomers can join freely again.",
  ["antiraid.over_reason"] = "the lockdown ran its time",
  ["antiraid.newcomers"] = "newcomers",
  ["antiraid.reason"] = "{count} joins within {seconds} s; lockdown until {ends}",
  ["antiraid.action_mute"] = "only admins can post",
  ["antiraid.action_kick"] = "newcomers are kicked",
  ["antiraid.clock"] = "{time} UTC",
  ["antiraid.status"] = "Anti-raid: {state}. More than {joins} joins within {seconds} s start a lockdown of "
    .. "{duration} s: {action} during it.\nLockdown: {lockdown}",
  ["antiraid.until"] = "on, until {ends}",
  ["antiraid.none"] = "none",
  ["antiraid.not_locked"] = "There is no lockdown.",
  ["antiraid.ended"] = "The lockdown is lifted.",
  ["antiraid.usage"] = "/antiraid on|off, /antiraid J W, /antiraid action mute|kick, /antiraid duration SECONDS, "
    .. "/antiraid end",
  -- END antiraid

  -- BEGIN captcha
  ["captcha.math"] = "What is {a} + {b}?",
  ["captcha.button"] = "Press the button to show you are human.",
  ["captcha.human"] = "✅ I am human",
  ["captcha.type_it"] = "Type the answer.",
  ["captcha.prompt"] = "{mention}, before you can write: {question}\nAnswer within {seconds} seconds, "
    .. "or you will be removed.",
  ["captcha.request"] = "You asked to join {chat}. {question}\nAnswer within {seconds} seconds.",
  ["captcha.not_yours"] = "This is not for you.",
  ["captcha.expired"] = "This question has expired.",
  ["captcha.passed"] = "Thanks, you can write now.",
  ["captcha.approved"] = "Right! Your request to join is approved.",
  ["captcha.declined"] = "Your request to join was declined: no right answer in time.",
  ["captcha.try_again"] = "That is not the answer. Try again.",
  ["captcha.failed"] = "Wrong answer.",
  ["captcha.wrong_reason"] = "captcha: wrong answer",
  ["captcha.timeout_reason"] = "captcha: no answer in time",
  ["captcha.status"] = "Captcha: {state}; mode {mode}; {seconds} s to answer.",
  ["captcha.question_buttons"] = "Question: {question} ({count} buttons)",
  ["captcha.question_typed"] = "Question: {question} (the answer is typed)",
  ["captcha.no_question"] = "No question is set, so newcomers get the button: /captcha question TEXT | ANSWER",
  ["captcha.saved"] = "Saved.",
  ["captcha.question_usage"] = "/captcha question TEXT | ANSWER (typed), "
    .. "or /captcha question TEXT | ANSWER | WRONG | … (buttons)",
  ["captcha.question_too_long"] = "The question is too long: at most {max} bytes.",
  ["captcha.too_long"] = "Answers shown as buttons may be at most {max} bytes long.",
  ["captcha.duplicate"] = "{answer} is there twice.",
  ["captcha.usage"] = "/captcha on|off, /captcha mode button|math|question, /captcha time SECONDS, "
    .. "/captcha question TEXT | ANSWER [| WRONG | …]",
  -- END captcha

  -- BEGIN locks
  ["locks.reason"] = "locked: {kind}",
  ["locks.title"] = "Locks here:",
  ["locks.usage"] = "/lock KIND [delete|warn|mute|kick|ban]; kinds: {kinds}",
  ["locks.unknown"] = "{kind} is not something I can lock. Kinds: {kinds}",
  ["locks.locked"] = "Locked {kind}: {action}.",
  ["locks.unlocked"] = "Unlocked {kind}.",
  -- END locks

  -- BEGIN blocklist
  ["blocklist.reason"] = "blocked word: {entry}",
  ["blocklist.bad_pattern"] = "That pattern cannot be used: {why}",
  ["blocklist.empty"] = "That has no letters or digits to match.",
  ["blocklist.too_long"] = "That is too long: at most {max} characters.",
  ["blocklist.added"] = "Blocked \"{entry}\" → {action}.",
  ["blocklist.removed"] = "Unblocked \"{entry}\".",
  ["blocklist.missing"] = "\"{entry}\" was not blocked.",
  ["blocklist.none"] = "Nothing is blocked here.",
  ["blocklist.title"] = "Blocked here:",
  -- END blocklist

  -- BEGIN warns
  ["warns.none"] = "{name} has no warnings.",
  ["warns.count"] = "{name} has {count}/{limit} warnings:",
  ["warns.removed"] = "Took back a warning from {name}: {count}/{limit} left.",
  ["warns.reset"] = "{name}'s warnings are reset.",
  ["warns.limit_set"] = "The action now runs at {limit} warnings.",
  ["warns.action_set"] = "At the limit: {action}.",
  ["warns.button_refused"] = "Only admins and moderators can remove warnings.",
  ["warns.button_done"] = "Warning removed.",
  ["warns.button_nothing"] = "There was no warning left to remove.",
  ["warns.removed_by"] = "Warning removed by {by} ({count} left).",
  -- END warns

  -- BEGIN welcome
  ["welcome.default"] = "Welcome to {chat}, {mention}! Please read the /rules.",
  ["welcome.usage"] = "/setwelcome TEXT — placeholders: {first}, {last}, {mention}, {username}, {chat}",
  ["welcome.saved"] = "Welcome saved and switched on. It will look like this:",
  ["welcome.reset"] = "The welcome is back to the default.",
  ["welcome.too_long"] = "That is too long: at most {max} characters.",
  ["welcome.state"] = "Welcomes are {state}. The welcome:",
  ["welcome.turned_on"] = "Newcomers will be welcomed.",
  ["welcome.turned_off"] = "Newcomers will not be welcomed.",
  ["welcome.rules_saved"] = "Rules saved. Anyone can read them with /rules.",
  ["welcome.rules_cleared"] = "The rules are cleared.",
  ["welcome.about_saved"] = "Saved. Anyone can read it with /about.",
  ["welcome.rules_title"] = "The rules of this group:",
  ["welcome.no_rules"] = "This group has no rules set. Admins can set them with /setrules.",
  ["welcome.about_title"] = "About this group:",
  ["welcome.no_about"] = "Nothing is set. Admins can set it with /setabout.",
  -- END welcome

  -- BEGIN reports
  ["reports.needs_reply"] = "Reply to the message you want to report.",
  ["reports.self"] = "You cannot report yourself.",
  ["reports.admin"] = "Admins cannot be reported.",
  ["reports.already"] = "That message was reported already.",
  ["reports.private"] = "Report in {chat}: {reporter} reported {target} ({target_id}).\nReason: {reason}\n{link}",
  ["reports.sent"] = "Reported {target} to the admins.",
  ["reports.on"] = "Members can report messages to the admins.",
  ["reports.off"] = "Reports are switched off.",
  -- END reports

  -- BEGIN settings
  ["settings.summary"] = "Settings of this group\n"
    .. "Flood: {flood}, more than {flood_max} messages in {flood_time} s → {flood_action} (exempt: {flood_exempt})\n"
    .. "Warnings: {warn_limit} → {warn_action}\n"
    .. "Welcome: {welcome}\n"
    .. "Captcha: {captcha} ({captcha_mode}, {captcha_time} s)\n"
    .. "Anti-raid: {antiraid}, more than {raid_joins} joins in {raid_window} s → {raid_action} for {raid_duration} s\n"
    .. "Reports: {reports}\nLog channel: {log}\nLanguage: {lang}\nGlobal bans: {gban}\n"
    .. "Locks: {locks}",
  ["settings.gban_followed"] = "followed",
  ["settings.gban_ignored"] = "ignored",
  ["settings.flood_button"] = "Flood: {state}",
  ["settings.refused"] = "Only admins can change the settings.",
  ["settings.lang_current"] = "This group's language: {lang}.",
  ["settings.lang_missing"] = "There is no translation called {lang} (plugins/lang/{lang}.lua).",
  ["settings.lang_set"] = "Language: {lang}.",
  -- END settings

  -- BEGIN roles
  ["roles.already_admin"] = "{name} is an admin already.",
  ["roles.was_not"] = "{name} did not have that role.",
  ["roles.promoted"] = "{name} is now a moderator here.",
  ["roles.demoted"] = "{name} is no longer a moderator here.",
  ["roles.approved"] = "{name} is approved: flood, locks and filters leave them alone.",
  ["roles.unapproved"] = "{name} is no longer approved.",
  ["roles.admins_title"] = "Admins (★ owner):",
  ["roles.mods_title"] = "Moderators:",
  ["roles.none"] = "• none",
  ["roles.nobody_approved"] = "Nobody is approved here.",
  ["roles.approved_title"] = "Approved users:",
  -- END roles

  -- BEGIN logchannel
  ["logchannel.how"] = "Reply /setlog to a post forwarded from the log channel, or give its id: /setlog -100…",
  ["logchannel.hello"] = "This chat now receives the moderation log of {chat}.",
  ["logchannel.set"] = "Moderation actions will be posted to {log}.",
  ["logchannel.cannot_post"] = "I cannot post in {log}: {why}. Make me an admin there first.",
  ["logchannel.unset"] = "Moderation actions are no longer logged.",
  ["logchannel.none"] = "This chat has no log channel. Set one with /setlog.",
  ["logchannel.current"] = "Moderation actions are posted to {log}.",
  -- END logchannel

  -- BEGIN plugins
  ["plugins.title"] = "Plugins here:",
  ["plugins.off_here"] = "✖",
  ["plugins.off_everywhere"] = "⛔",
  ["plugins.unknown"] = "No plugin called {name}.",
  ["plugins.not_self"] = "The plugins plugin cannot switch itself off.",
  ["plugins.disabled_here"] = "{name} is disabled in this chat.",
  ["plugins.enabled_here"] = "{name} is enabled in this chat.",
  ["plugins.disabled_everywhere"] = "{name} is disabled in every chat.",
  ["plugins.enabled_everywhere"] = "{name} is enabled again (chats that disabled it keep it off).",
  ["plugins.bad_scope"] = "Say `here` for this chat, or nothing for every chat.",
  ["plugins.reloading"] = "Reloading the plugins from disk.",
  -- END plugins

  -- BEGIN sudo
  ["sudo.stats"] = "Groups: {groups}\nUsers seen: {users}\nGlobal bans: {gbans}\nPlugins: {plugins}\n"
    .. "Version: {version}",
  ["sudo.broadcast"] = "Sending to {count} groups.",
  ["sudo.bad_chat"] = "Give the chat's id, like -1001234567890.",
  ["sudo.left"] = "Left {chat}.",
  ["sudo.list_title"] = "Sudo users:",
  ["sudo.from_config"] = "(config)",
  ["sudo.added"] = "{id} is now a sudo user.",
  ["sudo.removed"] = "{id} is no longer a sudo user.",
  ["sudo.in_config"] = "{id} is a sudo user in the config file; remove them there.",
  -- END sudo

  -- BEGIN gban
  ["gban.refused"] = "I will not ban that user globally.",
  ["gban.done"] = "{name} is banned from {count} groups: {reason}",
  ["gban.was_not"] = "{name} is not globally banned.",
  ["gban.undone"] = "{name} is no longer globally banned ({count} groups).",
  ["gban.empty"] = "Nobody is globally banned.",
  ["gban.title"] = "Globally banned:",
  ["gban.reason"] = "global ban: {reason}",
  ["gban.opted_out"] = "This group now ignores global bans.",
  ["gban.opted_in"] = "This group follows global bans again.",
  -- END gban
}
