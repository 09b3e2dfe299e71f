using System;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The ESP32 Wi-Fi station, its stored configuration, and the access point a test puts in range.
    /// Model of nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:
    /// <list type="bullet">
    /// <item>targets/ESP32/_Network/NF_ESP32_Wireless.cpp: at boot (NF_ESP32_Wireless_Open) the station starts
    /// only if the stored options have the Enable bit (0x02) and not Disable (0x01), and connects if
    /// <c>Options &amp; AutoConnect</c> is non-zero and an SSID is stored. AutoConnect is 0x04|Enable = 0x06, so that
    /// test is a bitwise AND with 0x06 and a stored "Enable" (0x02) passes it too: on this firmware Enable and
    /// AutoConnect both join at boot; None and Disable do not. Connecting sets NF_ESP32_IsToConnect.</item>
    /// <item>targets/ESP32/_common/targetHAL_Network.cpp: on every disconnect, with NF_ESP32_IsToConnect set, the
    /// station connects again by itself (esp_wifi_connect), forever; IP_EVENT_STA_GOT_IP starts SNTP.</item>
    /// <item>targets/ESP32/_common/targetHAL_ConfigurationManager.cpp: after a mass erase the stored options are
    /// AutoConnect|Enable|SmartConfig (0x0E) with no SSID; nanoff --networkdeployment writes the option named
    /// in its JSON (nanoframework/nf-debugger Wireless80211_ConfigurationOptions: Enable = 0x02,
    /// AutoConnect = 0x06) and leaves it unchanged when none is given
    /// (nanoframework/nanoFirmwareFlasher@baccab8dd8309aa58af4c7287bb2f866292fb22d:nanoFirmwareFlasher.Library/NetworkDeployment/NetworkDeploymentManager.cs).</item>
    /// <item>targets/ESP32/_common/Target_Network.cpp (Network_Interface_Start_Connect, used by WifiAdapter.Connect):
    /// connects with the given credentials and NF_ESP32_IsToConnect set; it saves the configuration itself only
    /// for WifiReconnectionKind.Manual (options &amp; NETWORK_CONNECT_SAVE_CONFIG), and then with AutoConnect.</item>
    /// <item>The configuration lives in the LittleFS partition as /I/con_WN1_0.sys (108 bytes) and
    /// /I/con_CN1_0.sys (targets/ESP32/_common/targetHAL_ConfigStorageLittlefs.c), so it takes room on I:\.</item>
    /// </list>
    /// Timing (a join takes <see cref="JoinMs"/>, a failed attempt is retried after <see cref="RetryMs"/>) is a model choice.
    /// </summary>
    public sealed class WifiModel
    {
        public const int OptionNone = 0, OptionDisable = 1, OptionEnable = 2, OptionAutoConnect = 6, OptionSmartConfig = 10;
        internal const string ConfigFile = "con_WN1_0.sys";
        internal const string InterfaceFile = "con_CN1_0.sys";

        private string _ssid;
        private string _password;
        private int _options;
        private string _apSsid;
        private string _apPassword;
        private bool _apOn;
        private bool _stationStarted;
        private bool _isToConnect;
        private bool _hasAddress;
        private bool _connectInProgress;
        private int _connectResult;
        private string _connectSsid;
        private string _connectPassword;
        private ModelTimer _attempt;

        public WifiModel()
        {
            Reset(true);
        }

        /// <summary>Time from esp_wifi_connect to an IP address from DHCP (model choice).</summary>
        public int JoinMs = 3000;
        /// <summary>Time before the station tries again after a failed attempt (model choice).</summary>
        public int RetryMs = 5000;
        /// <summary>The address DHCP gives.</summary>
        public string Address = "192.168.1.23";

        /// <summary>Connection attempts the station made since the last boot.</summary>
        public int JoinAttempts { get; private set; }

        /// <summary>Times the application sent credentials itself (WifiAdapter.Connect / ConnectDhcp) since the last boot.</summary>
        public int CredentialsSent { get; private set; }

        /// <summary>Writes of the stored configuration since the last reset (flash wear).</summary>
        public int ConfigWrites { get; private set; }

        // ---- what is stored on the device ----

        public string StoredSsid { get { lock (VirtualEsp32.Sync) { return _ssid; } } }
        public string StoredPassword { get { lock (VirtualEsp32.Sync) { return _password; } } }
        /// <summary>Wireless80211Configuration.ConfigurationOptions as stored (0x0E after a mass erase).</summary>
        public int StoredOptions { get { lock (VirtualEsp32.Sync) { return _options; } } }

        /// <summary>
        /// What nanoff --networkdeployment does with a WirelessClient section: stores SSID and password, and the
        /// option named by <paramref name="configurationOption"/> (None, Disable, Enable, AutoConnect, SmartConfig,
        /// any case), or keeps the stored option when it is null or empty. Takes effect at the next boot.
        /// </summary>
        public void Provision(string ssid, string password, string configurationOption)
        {
            lock (VirtualEsp32.Sync)
            {
                _ssid = ssid;
                _password = password == null ? "" : password;
                if (configurationOption != null && configurationOption.Length > 0) _options = ParseOption(configurationOption);
                Store();
            }
        }

        /// <summary>nanoff's names for the options (case-insensitive); ArgumentException for anything else, as nanoff.</summary>
        public static int ParseOption(string name)
        {
            switch (name.ToUpper())
            {
                case "NONE": return OptionNone;
                case "DISABLE": return OptionDisable;
                case "ENABLE": return OptionEnable;
                case "AUTOCONNECT": return OptionAutoConnect;
                case "SMARTCONFIG": return OptionSmartConfig;
                default: throw new ArgumentException("ConfigurationOption must be either: None, Disable, Enable, AutoConnect or SmartConfig");
            }
        }

        // ---- the radio environment ----

        /// <summary>An access point in range (switched on).</summary>
        public void AccessPoint(string ssid, string password)
        {
            lock (VirtualEsp32.Sync)
            {
                _apSsid = ssid;
                _apPassword = password;
                _apOn = true;
            }
        }

        /// <summary>The access point goes away (router off, out of range): the link drops now.</summary>
        public void AccessPointOff()
        {
            lock (VirtualEsp32.Sync)
            {
                _apOn = false;
                Drop();
            }
        }

        public void AccessPointOn()
        {
            lock (VirtualEsp32.Sync) { _apOn = true; }
        }

        /// <summary>The link drops (deauthentication, interference); the access point stays. The station reconnects by itself if it was told to.</summary>
        public void Drop()
        {
            lock (VirtualEsp32.Sync)
            {
                if (!_hasAddress) return;
                _hasAddress = false;
                if (_isToConnect) ScheduleAttempt(RetryMs);
                VirtualEsp32.Network.CutAll();
            }
        }

        /// <summary>True while the station has an IP address.</summary>
        public bool HasAddress { get { lock (VirtualEsp32.Sync) { return _hasAddress; } } }

        /// <summary>NF_ESP32_IsToConnect: the station (re)connects by itself.</summary>
        public bool ReconnectsByItself { get { lock (VirtualEsp32.Sync) { return _isToConnect; } } }

        /// <summary>The station interface is up (Wi-Fi initialised in station mode).</summary>
        public bool StationStarted { get { lock (VirtualEsp32.Sync) { return _stationStarted; } } }

        // ---- boot and native side ----

        internal void Reset(bool erase)
        {
            lock (VirtualEsp32.Sync)
            {
                VirtualEsp32.Clock.Cancel(_attempt);
                _attempt = null;
                _stationStarted = false;
                _isToConnect = false;
                _hasAddress = false;
                _connectInProgress = false;
                JoinAttempts = 0;
                CredentialsSent = 0;
                WifiHelperState.Reset();
                if (erase)
                {
                    _ssid = "";
                    _password = "";
                    _options = OptionAutoConnect | OptionEnable | OptionSmartConfig;
                    _apOn = false;
                    _apSsid = null;
                    _apPassword = null;
                    JoinMs = 3000;
                    RetryMs = 5000;
                    Address = "192.168.1.23";
                    ConfigWrites = 0;
                    Store();
                    ConfigWrites = 0;
                }
            }
        }

        /// <summary>NF_ESP32_Wireless_Open at nanoCLR start.</summary>
        internal void Boot()
        {
            lock (VirtualEsp32.Sync)
            {
                if ((_options & OptionEnable) == 0 || (_options & OptionDisable) != 0) return; // WIFI_MODE_NULL or station disabled
                _stationStarted = true;
                if ((_options & OptionAutoConnect) != 0 && _ssid != null && _ssid.Length > 0) StartConnect(_ssid, _password);
            }
        }

        /// <summary>Network_Interface_Start_Connect for WifiAdapter.Connect: false when the station is not started.</summary>
        internal bool Connect(string ssid, string password, int reconnectionKind)
        {
            lock (VirtualEsp32.Sync)
            {
                CredentialsSent++;
                if (!_stationStarted) return false;
                if ((reconnectionKind & 1) != 0)
                {
                    // NETWORK_CONNECT_SAVE_CONFIG: Options = Enable ^ AutoConnect | Enable = AutoConnect, then stored.
                    _ssid = ssid;
                    _password = password;
                    _options = OptionAutoConnect;
                    Store();
                }
                _connectInProgress = true;
                StartConnect(ssid, password);
                return true;
            }
        }

        /// <summary>WifiAdapter.Disconnect: NF_ESP32_Wireless_Disconnect.</summary>
        internal void Disconnect()
        {
            lock (VirtualEsp32.Sync)
            {
                _isToConnect = false;
                VirtualEsp32.Clock.Cancel(_attempt);
                _attempt = null;
                _hasAddress = false;
                VirtualEsp32.Network.CutAll();
            }
        }

        /// <summary>NativeConnect waits up to 20 s for the first connect result; true if it came.</summary>
        internal bool WaitConnectResult()
        {
            return VirtualEsp32.Clock.WaitUntil(delegate { return !_connectInProgress; }, VirtualEsp32.Clock.NowMicroseconds + 20000000L);
        }

        internal int LastConnectResult { get { lock (VirtualEsp32.Sync) { return _connectResult; } } }

        /// <summary>Wireless80211Configuration.UpdateConfiguration: stores the block.</summary>
        internal void Save(string ssid, string password, int options)
        {
            lock (VirtualEsp32.Sync)
            {
                _ssid = ssid;
                _password = password;
                _options = options;
                Store();
            }
        }

        private void StartConnect(string ssid, string password)
        {
            _isToConnect = true;
            _connectSsid = ssid;
            _connectPassword = password;
            _hasAddress = false;
            ScheduleAttempt(0);
        }

        private void ScheduleAttempt(int delayMs)
        {
            VirtualEsp32.Clock.Cancel(_attempt);
            _attempt = VirtualEsp32.Clock.Schedule((long)(delayMs + JoinMs) * 1000, Attempt);
        }

        private void Attempt()
        {
            _attempt = null;
            if (!_isToConnect) return;
            JoinAttempts++;
            bool ok = _apOn && _apSsid == _connectSsid && _apPassword == _connectPassword;
            if (_connectInProgress)
            {
                _connectInProgress = false;
                _connectResult = ok ? 0 : (_apOn && _apSsid == _connectSsid ? 15 : 201); // WIFI_REASON_4WAY_HANDSHAKE_TIMEOUT / NO_AP_FOUND
            }
            if (ok)
            {
                _hasAddress = true;
                VirtualEsp32.Sntp.OnGotAddress();
            }
            else
            {
                ScheduleAttempt(RetryMs);
            }
        }

        /// <summary>The configuration files in the LittleFS partition (sizes of the HAL_Configuration_* structs).</summary>
        private void Store()
        {
            ConfigWrites++;
            VirtualEsp32.Flash.PutSystemFile(ConfigFile, 108);
            VirtualEsp32.Flash.PutSystemFile(InterfaceFile, 118);
        }
    }
}
