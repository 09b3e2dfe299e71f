namespace PingAnTong.Edge.Core.Field
{
    /// <summary>
    /// The console's words in English and Simplified Chinese (config <c>console.language</c>: "en" or "zh-CN").
    /// Templates per message id (the constants below) as string literals in code, each with {0}, {1}, … filled by <see cref="Fill(string, string[])"/>
    /// (nanoFramework has neither string.Format with cultures nor resources). Only what a person reads is translated:
    /// command names, keywords the console accepts, the "error:" prefix tools look for, numbers, durations, ids,
    /// state names (ConnectionManager, InputKind, SensorStatus) and the prompt stay the same in both languages.
    /// </summary>
    public static class ConsoleText
    {
        public const string English = "en";
        public const string Chinese = "zh-CN";

        /// <summary>The values <c>console.language</c> may take, in the order of the language numbers.</summary>
        public static readonly string[] Languages = { English, Chinese };

        public const int En = 0;
        public const int Zh = 1;

        public const int HelpFirst = 0; // HelpLines lines of help
        public const int HelpLines = 15;
        public const int UnknownCommand = 15;
        public const int CommandFailed = 16;
        public const int Locked = 17;
        public const int StatusHub = 18;
        public const int StatusUptime = 19;
        public const int ClockSynced = 20;
        public const int ClockNotSynced = 21;
        public const int StatusNetwork = 22;
        public const int StatusMqtt = 23;
        public const int MqttTls = 24;
        public const int MqttNoTls = 25;
        public const int MqttTrial = 26;
        public const int MqttLastError = 27;
        public const int StatusOutbox = 28;
        public const int StatusMode = 29;
        public const int StorageFault = 30;
        public const int SafeModeOn = 31;
        public const int SafeModeOff = 32;
        public const int StatusConsole = 33;
        public const int ConsoleUnlockedFor = 34;
        public const int ConsoleLocked = 35;
        public const int ConsoleLockedOut = 36;
        public const int StatusCommands = 37;
        public const int CommandsSigned = 38;
        public const int CommandsRefused = 39;
        public const int CommandsUnauthenticated = 40;
        public const int InputLine = 41;
        public const int InputActive = 42;
        public const int InputIdle = 43;
        public const int FaultChatter = 44;
        public const int FaultSilent = 45;
        public const int Ok = 46;
        public const int LastActive = 47;
        public const int SensorLine = 48;
        public const int NoValue = 49;
        public const int WarmingUp = 50;
        public const int High = 51;
        public const int Low = 52;
        public const int SensorFault = 53;
        public const int LastRead = 54;
        public const int EventsBadCount = 55;
        public const int NoEvents = 56;
        public const int EventsDamaged = 57;
        public const int OutboxEntry = 58;
        public const int FromBeforeReboot = 59;
        public const int OutboxSummary = 60;
        public const int FirstShown = 61;
        public const int LastWriteError = 62;
        public const int ChangesDiscarded = 63;
        public const int ConfigExpected = 64;
        public const int NoStoredConfig = 65;
        public const int ShowingPending = 66;
        public const int ConfigSetExpected = 67;
        public const int ConfigSetNoStored = 68;
        public const int ConfigSetNotScalar = 69;
        public const int ConfigSetProblem = 70;
        public const int PathNoChild = 71;
        public const int UseIdOrIndex = 72;
        public const int PathIsValue = 73;
        public const int PathIsList = 74;
        public const int PathIsGroup = 75;
        public const int ConfigSetDone = 76;
        public const int ConfigApplyNothing = 77;
        public const int ConfigApplyRefused = 78;
        public const int ConfigTrial = 79;
        public const int ConfigApplied = 80;
        public const int ConfigRebooting = 81;
        public const int TestExpected = 82;
        public const int TestNotice = 83;
        public const int TestAlarm = 84;
        public const int TimeUptime = 85;
        public const int TimeNotSynced = 86;
        public const int TimeUtc = 87;
        public const int TimeLocal = 88;
        public const int LogExpected = 89;
        public const int LogLevelIs = 90;
        public const int LogLevelBad = 91;
        public const int Rebooting = 92;
        public const int UnlockExpected = 93;
        public const int UnlockNoPin = 94;
        public const int UnlockLockedOut = 95;
        public const int UnlockWait = 96;
        public const int WrongPin = 97;
        public const int LockedFor = 98;
        public const int UnlockRefused = 99;
        public const int Unlocked = 100;
        public const int NeedsUnlock = 101;
        public const int HubBusy = 102;
        public const int SimulatorGreeting = 103;
        public const int LineTooLong = 104;
        public const int DeviceLineTooLong = 105;
        // Log lines of the device (COM2), written by the ESP32 application in the console's language (LogTemplate).
        public const int LogFirst = 106;
        public const int LogStarting = 106;
        public const int LogSafeMode = 107;
        public const int LogFatal = 108;
        public const int LogHubConfig = 109;
        public const int LogNoTls = 110;
        public const int LogClockSynced = 111;
        public const int LogConfigMoveFailed = 112;
        public const int LogConfigImported = 113;
        public const int LogConfigKept = 114;
        public const int LogConfigMovedTo = 115;
        public const int LogConfigTooBig = 116;
        public const int LogWatchdog = 117;
        public const int LogBuzzer = 118;
        public const int Count = 119;

        /// <summary>
        /// The console's messages: string literals in code, not static arrays, so a message takes heap only while it is used
        /// (two arrays of 106 strings stayed on the heap for the hub's lifetime: about 2.7 KB of the 48 KB budget).
        /// </summary>
        private static string ConsoleTemplate(bool zh, int id)
        {
            switch (id)
            {
                case HelpFirst + 0: return zh ? "help                   显示本列表" : "help                   this list";
                case HelpFirst + 1: return zh ? "status                 编号、固件、运行时间、时钟、网络、MQTT、待发消息、在家/外出、安全模式" : "status                 ids, firmware, uptime, clock, network, MQTT, outbox, home/away, safe mode";
                case HelpFirst + 2: return zh ? "sensors                每个输入和传感器的读数与状态" : "sensors                every input and sensor with its value and health";
                case HelpFirst + 3: return zh ? "events [n]             本地事件日志最近 n 条（默认 20）" : "events [n]             the newest n entries of the local event log (default 20)";
                case HelpFirst + 4: return zh ? "outbox                 等待发往服务器的消息" : "outbox                 messages waiting for the broker";
                case HelpFirst + 5: return zh ? "config show            保存的配置（密钥显示为 ***）" : "config show            the stored config (secrets masked)";
                case HelpFirst + 6: return zh ? "config set KEY VALUE   修改一项设置，例如 config set heartbeatMinutes 10、config set inputs.door.debounceMs 80 *" : "config set KEY VALUE   change one setting, e.g. config set heartbeatMinutes 10, config set inputs.door.debounceMs 80 *";
                case HelpFirst + 7: return zh ? "config apply           校验并应用修改（版本号 +1）*" : "config apply           validate and apply the changes (version +1) *";
                case HelpFirst + 8: return zh ? "config discard         放弃修改" : "config discard         drop the changes";
                case HelpFirst + 9: return zh ? "test sos|smoke|gas     发出测试告警（class test），走完整告警流程 *" : "test sos|smoke|gas     raise a test alarm (class test) through the whole alarm path *";
                case HelpFirst + 10: return zh ? "test notice            显示“有通知”提示，直到按下 OK *" : "test notice            show the notice pattern until OK is pressed *";
                case HelpFirst + 11: return zh ? "time                   运行时间、UTC 和本地时间、时钟同步" : "time                   uptime, UTC and local time, clock sync";
                case HelpFirst + 12: return zh ? "log level [LEVEL]      查看或设置控制台日志级别：error、warn、info、debug（设置需 *）" : "log level [LEVEL]      show or set the console log level: error, warn, info, debug (* to set)";
                case HelpFirst + 13: return zh ? "reboot                 重启网关（也会退出安全模式）*" : "reboot                 restart the hub (leaves safe mode) *";
                case HelpFirst + 14: return zh ? "unlock PIN / lock      带 * 的命令需要先输入安装员 PIN 解锁" : "unlock PIN / lock      * commands need the installer PIN first";
                case UnknownCommand: return zh ? "error: 未知命令 \"{0}\"；输入 help 查看命令" : "error: unknown command \"{0}\"; type help";
                case CommandFailed: return zh ? "error: {0} 执行失败：{1}" : "error: {0} failed: {1}";
                case Locked: return zh ? "已上锁" : "locked";
                case StatusHub: return zh ? "网关 {0}，位置 {1}，固件 {2}，配置 v{3}（{4}）" : "hub {0} at {1}, firmware {2}, config v{3} ({4})";
                case StatusUptime: return zh ? "运行时间 {0}，上次复位 {1}，时钟{2}" : "uptime {0}, last reset {1}, clock {2}";
                case ClockSynced: return zh ? "已同步" : "synced";
                case ClockNotSynced: return zh ? "未同步" : "NOT synced";
                case StatusNetwork: return zh ? "网络：{0}" : "network: {0}";
                case StatusMqtt: return zh ? "mqtt {0}，服务器 {1}:{2}{3}{4}" : "mqtt {0} to {1}:{2}{3}{4}";
                case MqttTls: return zh ? "（TLS）" : " (TLS)";
                case MqttNoTls: return zh ? "（无 TLS：insecureForTesting，仅限实验室）" : " (NO TLS: insecureForTesting, lab only)";
                case MqttTrial: return zh ? "；配置试用中" : "; config on trial";
                case MqttLastError: return zh ? "；最近错误：{0}" : "; last error: {0}";
                case StatusOutbox: return zh ? "待发消息 {0} 条，进行中的告警 {1} 个" : "outbox {0} waiting, {1} active alarm(s)";
                case StatusMode: return zh ? "模式 {0}，指示 {1}{2}" : "mode {0}, indication {1}{2}";
                case StorageFault: return zh ? "，存储故障" : ", STORAGE FAULT";
                case SafeModeOn: return zh ? "安全模式：{0}；I2C 传感器已关闭；重启（reboot）可退出" : "SAFE MODE: {0}; I2C sensors off; reboot to leave";
                case SafeModeOff: return zh ? "安全模式：关" : "safe mode off";
                case StatusConsole: return zh ? "控制台{0}{1}" : "console {0}{1}";
                case ConsoleUnlockedFor: return zh ? "已解锁，剩余 {0}" : "unlocked for {0}";
                case ConsoleLocked: return zh ? "已上锁" : "locked";
                case ConsoleLockedOut: return zh ? "；PIN 连续输错 {0} 次，{1} 后可再试" : "; {0} wrong PINs, next try in {1}";
                case StatusCommands: return zh ? "平台命令{0}{1}" : "commands {0}{1}";
                case CommandsSigned: return zh ? "使用本网关的密钥签名" : "signed with the hub's key";
                case CommandsRefused: return zh ? "全部拒绝：{0}" : "ALL REFUSED: {0}";
                case CommandsUnauthenticated: return zh ? "；{0} 条因不是中心发出而被拒绝" : "; {0} refused as not the centre's";
                case InputLine: return zh ? "输入 {0}（{1}，GPIO{2}）：{3}，{4}{5}" : "input {0} ({1}, GPIO{2}): {3}, {4}{5}";
                case InputActive: return zh ? "触发" : "ACTIVE";
                case InputIdle: return zh ? "空闲" : "idle";
                case FaultChatter: return zh ? "故障 chatter（抖动）" : "FAULT chatter";
                case FaultSilent: return zh ? "故障 silent（无活动）" : "FAULT silent";
                case Ok: return zh ? "正常" : "ok";
                case LastActive: return zh ? "，{0} 前有动作" : ", last active {0} ago";
                case SensorLine: return zh ? "传感器 {0}（{1}，{2} 0x{3}）：{4}{5}，{6}" : "sensor {0} ({1}, {2} 0x{3}): {4}{5}, {6}";
                case NoValue: return zh ? "无读数" : "no value";
                case WarmingUp: return zh ? "，预热中" : ", warming up";
                case High: return zh ? "，超过上限" : ", HIGH";
                case Low: return zh ? "，低于下限" : ", LOW";
                case SensorFault: return zh ? "故障 {0}" : "FAULT {0}";
                case LastRead: return zh ? "上次读取 {0}" : "last read {0}";
                case EventsBadCount: return zh ? "error: events：条数应为 1 到 {0}，收到 \"{1}\"" : "error: events: expected a count from 1 to {0}, got \"{1}\"";
                case NoEvents: return zh ? "没有事件记录" : "no events logged";
                case EventsDamaged: return zh ? "（启动时日志中有一条损坏的记录；该文件中其后的条目已丢弃）" : "(the log had a damaged record at boot; entries after it in that file were dropped)";
                case OutboxEntry: return zh ? "{0} {1}{2} 优先级 {3}，等待 {4}，已尝试 {5} 次" : "{0} {1}{2} priority {3}, age {4}, attempts {5}";
                case FromBeforeReboot: return zh ? "重启前" : "from before reboot";
                case OutboxSummary: return zh ? "待发 {0} 条{1}，flash 占用 {2} 字节，已挤出 {3} 条，写入失败 {4} 次{5}" : "{0} waiting{1}, {2} bytes on flash, {3} evicted, {4} write failures{5}";
                case FirstShown: return zh ? "（只显示前 20 条）" : " (first 20 shown)";
                case LastWriteError: return zh ? "（最近一次：{0}）" : " (last: {0})";
                case ChangesDiscarded: return zh ? "已放弃修改" : "changes discarded";
                case ConfigExpected: return zh ? "error: config：应为 show、set KEY VALUE、apply 或 discard" : "error: config: expected show, set KEY VALUE, apply or discard";
                case NoStoredConfig: return zh ? "没有保存的配置：网关正以内置后备配置运行（{0}）；请部署配置文件" : "no stored config: the hub runs on its built-in fallback ({0}); deploy a config file";
                case ShowingPending: return zh ? "（含 {0} 项未生效的修改；config apply 生效或 config discard 放弃）" : "(showing {0} unapplied change(s); config apply or config discard)";
                case ConfigSetExpected: return zh ? "error: config set：应为 KEY VALUE，例如 config set heartbeatMinutes 10" : "error: config set: expected KEY VALUE, e.g. config set heartbeatMinutes 10";
                case ConfigSetNoStored: return zh ? "error: config set：没有可修改的已保存配置（网关正以后备配置运行）；请先部署配置文件" : "error: config set: no stored config to change (the hub runs on its fallback); deploy a config file first";
                case ConfigSetNotScalar: return zh ? "error: config set {0}：只能设置单个值（数字、true/false、文字），不能是对象或列表" : "error: config set {0}: expected a single value (number, true/false, text), not an object or list";
                case ConfigSetProblem: return zh ? "error: config set {0}：{1}" : "error: config set {0}: {1}";
                case PathNoChild: return zh ? "{0} 中没有 \"{1}\"{2}" : "{0} has no \"{1}\"{2}";
                case UseIdOrIndex: return zh ? "（请用 id 或序号）" : " (use an id or an index)";
                case PathIsValue: return zh ? "{0} 是一个值，不是一组设置" : "{0} is a value, not a group";
                case PathIsList: return zh ? "{0} 是一个列表；请指定其中某个元素里的设置" : "{0} is a list; name a setting inside one element";
                case PathIsGroup: return zh ? "{0} 是一组设置；请设置其中的某一项" : "{0} is a group; set the settings inside it";
                case ConfigSetDone: return zh ? "已设置 {0}{1}（{2} 项修改待生效；config apply 校验并生效）" : "set {0}{1} ({2} change(s) pending; config apply to validate and apply)";
                case ConfigApplyNothing: return zh ? "error: config apply：没有要生效的修改；请先 config set" : "error: config apply: nothing to apply; use config set first";
                case ConfigApplyRefused: return zh ? "error: config apply 被拒绝，未做任何修改：{0}" : "error: config apply refused, nothing changed: {0}";
                case ConfigTrial: return zh ? "配置版本 {0} 试用中：正在切换到 {1}；中心在 {2} 分钟内从那里发来签名命令即保留，否则恢复到版本 {3}" : "config version {0} on trial: moving to {1}; kept once the centre sends a signed command there within {2} min, else back on version {3}";
                case ConfigApplied: return zh ? "已生效配置版本 {0}{1}" : "applied config version {0}{1}";
                case ConfigRebooting: return zh ? "；引脚已更改，正在重启以重新接线" : "; pins changed, rebooting to rewire";
                case TestExpected: return zh ? "error: test：应为 sos、smoke、gas 或 notice，收到 \"{0}\"" : "error: test: expected sos, smoke, gas or notice, got \"{0}\"";
                case TestNotice: return zh ? "“有通知”提示已开启，直到按下 OK（通知已读事件将带编号 {0}）" : "notice pattern on until OK is pressed (the notice read event will carry id {0})";
                case TestAlarm: return zh ? "测试告警 {0} 已发出（class test）；请看 status/outbox，中心应予确认" : "test alarm {0} raised (class test); watch status/outbox, the centre should acknowledge it";
                case TimeUptime: return zh ? "运行时间 {0}" : "uptime {0}";
                case TimeNotSynced: return zh ? "时钟未同步（等待 SNTP）；告警只带运行时间，TLS 无法建立" : "clock NOT synced (waiting for SNTP); alarms carry uptime only and TLS cannot start";
                case TimeUtc: return zh ? "UTC 时间 {0}" : "utc {0}";
                case TimeLocal: return zh ? "本地时间 {0}（UTC{1}h）" : "local {0} (UTC{1}h)";
                case LogExpected: return zh ? "error: log：应为 log level [error|warn|info|debug]" : "error: log: expected log level [error|warn|info|debug]";
                case LogLevelIs: return zh ? "日志级别 {0}" : "log level {0}";
                case LogLevelBad: return zh ? "error: log level：应为 error、warn、info 或 debug，收到 \"{0}\"" : "error: log level: expected error, warn, info or debug, got \"{0}\"";
                case Rebooting: return zh ? "即将重启（待发消息已保存，不会丢失）" : "rebooting in a moment (messages waiting stay stored)";
                case UnlockExpected: return zh ? "error: unlock：应为 unlock PIN" : "error: unlock: expected unlock PIN";
                case UnlockNoPin: return zh ? "error: unlock：本网关的配置中没有安装员 PIN（console.pinHash）；无法修改" : "error: unlock: no installer PIN in this hub's config (console.pinHash); changes are disabled";
                case UnlockLockedOut: return zh ? "error: unlock：PIN 连续输错 {0} 次；请 {1} 后再试" : "error: unlock: {0} wrong PINs in a row; try again in {1}";
                case UnlockWait: return zh ? "error: unlock：PIN 输错后请等 {0} 再试" : "error: unlock: wait {0} after a wrong PIN";
                case WrongPin: return zh ? "PIN 错误" : "wrong PIN";
                case LockedFor: return zh ? "；锁定 {0}" : "; locked for {0}";
                case UnlockRefused: return zh ? "error: unlock：{0}" : "error: unlock: {0}";
                case Unlocked: return zh ? "已解锁 {0} 分钟" : "unlocked for {0} min";
                case NeedsUnlock: return zh ? "error: {0} 会修改网关：请先 unlock PIN 解锁" : "error: {0} changes the hub: unlock PIN first";
                case HubBusy: return zh ? "error: 网关正忙；请再试一次" : "error: the hub is busy; try again";
                case SimulatorGreeting: return zh ? "PingAnTong.Edge 网关控制台（模拟器）；输入 help 查看命令" : "PingAnTong.Edge hub console (simulator); type help";
                case LineTooLong: return zh ? "error: {0} 字节的一行已丢弃；控制台每行最多 {1} 字节" : "error: line of {0} bytes discarded; the console takes lines of at most {1} bytes";
                case DeviceLineTooLong: return zh ? "error: 这一行超过 {0} 字节，已忽略" : "error: line longer than {0} bytes, ignored";
                default: return "";
            }
        }

        /// <summary>The language number of a <c>console.language</c> value: <see cref="En"/> for null (a config without it), -1 for an unknown value.</summary>
        public static int LanguageOf(string name)
        {
            if (name == null) return En;
            for (int i = 0; i < Languages.Length; i++)
            {
                if (Languages[i] == name) return i;
            }
            return -1;
        }

        /// <summary>The language number a config chooses (English when the config is missing or does not say).</summary>
        public static int LanguageOf(Config.HubConfig config)
        {
            int lang = config != null ? LanguageOf(config.ConsoleLanguage) : En;
            return lang < 0 ? En : lang;
        }

        /// <summary>The template of message <paramref name="id"/> in language <paramref name="lang"/> (English for an unknown language).</summary>
        public static string Template(int lang, int id)
        {
            if (id >= LogFirst) return LogTemplate(lang == Zh, id);
            return ConsoleTemplate(lang == Zh, id);
        }

        /// <summary>
        /// The device's log lines, literals in code like <see cref="ConsoleTemplate"/>: no heap while no line is written.
        /// </summary>
        private static string LogTemplate(bool zh, int id)
        {
            switch (id)
            {
                case LogStarting: return zh ? "PingAnTong.Edge {0} 正在启动；复位原因 {1}；连续崩溃启动 {2} 次" : "PingAnTong.Edge {0} starting; reset reason {1}; crash boots in a row {2}";
                case LogSafeMode: return zh ? "；安全模式（I2C 传感器已关闭；主动重启一次即可退出）" : "; SAFE MODE (I2C sensors off; reboot on purpose to leave)";
                case LogFatal: return zh ? "fatal: {0}；正在重启" : "fatal: {0}; rebooting";
                case LogHubConfig: return zh ? "网关 {0} 配置版本 {1}（{2}）" : "hub {0} config version {1} ({2})";
                case LogNoTls: return zh ? "WARNING: MQTT 未使用 TLS（broker.insecureForTesting）：仅限实验室和模拟器，绝不能用于家庭" : "WARNING: MQTT without TLS (broker.insecureForTesting): lab and simulator only, never in a home";
                case LogClockSynced: return zh ? "时钟已由 SNTP 同步" : "clock synced by SNTP";
                case LogConfigMoveFailed: return zh ? "config: 无法移走 {0}（{1}）；将其删除" : "config: could not move {0} aside ({1}); deleting it";
                case LogConfigImported: return zh ? "config: 已导入 {0}" : "config: imported {0}";
                case LogConfigKept: return zh ? "config: {0}（保留原来的配置{1}）" : "config: {0} (kept the previous config{1})";
                case LogConfigMovedTo: return zh ? "；文件已移到 {0}" : "; file moved to {0}";
                case LogConfigTooBig: return zh ? "{0}：{1} 字节，配置最多 {2} 字节" : "{0}: {1} bytes, a config has at most {2}";
                case LogWatchdog: return zh ? "watchdog: {0} 已停止；正在重启" : "watchdog: {0} stopped; rebooting";
                case LogBuzzer: return zh ? "buzzer: GPIO{0} 没有 PWM 通道；报警将没有声音" : "buzzer: no PWM channel for GPIO{0}; alarms will be silent";
                default: return "";
            }
        }

        public static string Get(int lang, int id)
        {
            return Template(lang, id);
        }

        public static string Get(int lang, int id, string a0)
        {
            return Fill(Template(lang, id), new string[] { a0 });
        }

        public static string Get(int lang, int id, string a0, string a1)
        {
            return Fill(Template(lang, id), new string[] { a0, a1 });
        }

        public static string Get(int lang, int id, string a0, string a1, string a2)
        {
            return Fill(Template(lang, id), new string[] { a0, a1, a2 });
        }

        public static string Get(int lang, int id, string[] args)
        {
            return Fill(Template(lang, id), args);
        }

        /// <summary>Replaces {0}..{9} by <paramref name="args"/> (a placeholder without an argument is left as it is).</summary>
        public static string Fill(string template, string[] args)
        {
            int at = template.IndexOf('{');
            if (at < 0) return template;
            string result = "";
            int from = 0;
            while (at >= 0)
            {
                if (at + 2 < template.Length && template[at + 2] == '}' && template[at + 1] >= '0' && template[at + 1] <= '9'
                    && template[at + 1] - '0' < args.Length)
                {
                    string value = args[template[at + 1] - '0'];
                    result = string.Concat(result, template.Substring(from, at - from), value != null ? value : "");
                    from = at + 3;
                    at = from < template.Length ? template.IndexOf('{', from) : -1;
                }
                else
                {
                    at = at + 1 < template.Length ? template.IndexOf('{', at + 1) : -1;
                }
            }
            return string.Concat(result, template.Substring(from));
        }
    }
}
