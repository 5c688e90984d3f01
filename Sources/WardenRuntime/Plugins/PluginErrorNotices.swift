/// Which plugin problems the sudo users have been told about, so a plugin failing on every message
/// sends one notice per interval, not one per message.
struct PluginErrorNotices {
    /// When the last notice about each plugin went out (seconds since 1970).
    private var lastNotice: [String: Double] = [:]
    /// Problems of each plugin since its last notice that were only logged.
    private var heldBack: [String: Int] = [:]

    /// Whether a notice about `plugin` may go out now, and how many problems were held back before it;
    /// nil (the problem counted for the next notice) while the interval since the last one runs.
    mutating func admit(plugin: String, now: Double, interval: Double) -> Int? {
        if let last = lastNotice[plugin], now - last < interval {
            heldBack[plugin, default: 0] += 1
            return nil
        }
        lastNotice[plugin] = now
        return heldBack.removeValue(forKey: plugin) ?? 0
    }
}

extension PluginHost {
    /// Tells the sudo users in private that a plugin failed at run time (the log has every failure),
    /// at most once per plugin per `pluginErrorNoticeInterval`.
    func noticeSudoUsers(plugin: String, problem: String) {
        guard !options.config.sudoUsers.isEmpty else { return }
        let interval = options.pluginErrorNoticeInterval
        guard let heldBack = errorNotices.admit(plugin: plugin, now: options.clock(), interval: interval) else {
            return
        }
        var text = "Plugin \(plugin) failed: \(problem)"
        if heldBack > 0 {
            text += "\n(\(heldBack) more problem(s) of \(plugin) were only logged since the last notice.)"
        }
        text += "\nFurther problems of \(plugin) in the next \(Int(interval / 60)) minute(s) are only logged."
        notifySudoUsers(text)
    }
}
