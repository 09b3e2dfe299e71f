using System.Collections;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Device
{
    /// <summary>One pin of a board's pin map.</summary>
    public sealed class PinAssignment
    {
        public int Pin;
        /// <summary>input, output, pwm, analog, i2c1_sda, i2c1_scl, com2_tx, com2_rx.</summary>
        public string Use;
        /// <summary>none, internal_up, internal_down, external_up, external_down.</summary>
        public string Pull;
        /// <summary>What is wired there (sos, door, led, …); free text for people, matched against config ids by <see cref="PinMap.CheckConfig"/>.</summary>
        public string Signal;
        public string Path;
    }

    /// <summary>
    /// A board's pin map (hardware/boards/*.json), validated against the ESP32's electrical rules so
    /// that a wiring mistake is refused on the installer's laptop, not discovered in an elder's home:
    /// GPIO6-11 belong to the SPI flash; GPIO1/3 are the debugger's UART0; GPIO34-39 are input-only
    /// and have no internal pull resistors; strapping pins 0, 2, 5, 12, 15 must not be held by an input
    /// device at reset (GPIO12 high selects 1.8 V flash, so it is not used at all); ADC2 cannot be read
    /// while Wi-Fi is on; no pin serves twice; I2C needs both lines on output-capable pins.
    /// Sources: Espressif ESP32 datasheet §2.2 (pin list), §2.4 (strapping pins), ESP-IDF ADC notes.
    /// </summary>
    public sealed class PinMap
    {
        private static readonly string[] Fields = { "board", "module", "nanoffTarget", "wifi", "flashMegabytes", "psramMegabytes", "pins", "notes" };
        private static readonly string[] PinFields = { "pin", "use", "pull", "signal", "note" };
        private static readonly string[] Uses = { "input", "output", "pwm", "analog", "i2c1_sda", "i2c1_scl", "com2_tx", "com2_rx" };
        private static readonly string[] Pulls = { "none", "internal_up", "internal_down", "external_up", "external_down" };
        private static readonly int[] Strapping = { 0, 2, 5, 12, 15 };
        private static readonly int[] Adc2 = { 0, 2, 4, 12, 13, 14, 15, 25, 26, 27 };

        public string Board;
        public string Module;
        public string NanoffTarget;
        public bool Wifi;
        /// <summary>The module's flash (4, 8 or 16 MB): sets the size of I:\ (see <see cref="BoardProfile"/>).</summary>
        public int FlashMegabytes;
        /// <summary>The module's PSRAM (0 on WROOM, 8 on WROVER-E); a WROVER's PSRAM takes GPIO16 and GPIO17.</summary>
        public int PsramMegabytes;
        public PinAssignment[] Pins;

        /// <summary>The budgets and limits for this board's flash and PSRAM.</summary>
        public BoardProfile Profile { get { return BoardProfile.For(Board, FlashMegabytes, PsramMegabytes); } }

        /// <summary>Parses and validates; throws <see cref="ConfigException"/> ("pin map refused: …") listing every problem with its path.</summary>
        public static PinMap Parse(byte[] json)
        {
            ConfigFields f = new ConfigFields();
            JsonNode root = null;
            try
            {
                root = JsonReader.Parse(json, 0, json.Length);
            }
            catch (JsonException e)
            {
                f.Errors.Add(e.Message);
                throw new ConfigException("pin map", f.Errors);
            }
            PinMap map = new PinMap();
            if (f.IsObject(root, "$"))
            {
                f.RejectUnknown(root, Fields);
                map.Board = f.Str(root, "board", 48, null, true);
                map.Module = f.Str(root, "module", 48, null, true);
                map.NanoffTarget = f.Str(root, "nanoffTarget", 32, null, true);
                map.Wifi = f.Bool(root, "wifi", true);
                map.FlashMegabytes = f.Int(root, "flashMegabytes", 4, 16, 4, false);
                map.PsramMegabytes = f.Int(root, "psramMegabytes", 0, 8, 0, false);
                if (map.FlashMegabytes != 4 && map.FlashMegabytes != 8 && map.FlashMegabytes != 16)
                    f.Error("$.flashMegabytes", "expected 4, 8 or 16 (the sizes nanoFramework has partition tables for), got " + map.FlashMegabytes.ToString());
                map.Pins = ReadPins(root.Get("pins"), f);
                if (f.Errors.Count == 0) Validate(map, f);
            }
            if (f.Errors.Count > 0) throw new ConfigException("pin map", f.Errors);
            return map;
        }

        private static PinAssignment[] ReadPins(JsonNode pins, ConfigFields f)
        {
            if (pins == null || pins.Kind != JsonKind.Array)
            {
                f.Error("$.pins", "expected an array of pin assignments, got " + ConfigFields.Describe(pins));
                return new PinAssignment[0];
            }
            PinAssignment[] result = new PinAssignment[pins.Count];
            for (int i = 0; i < pins.Count; i++)
            {
                JsonNode p = pins[i];
                PinAssignment a = new PinAssignment();
                a.Path = p.Path;
                result[i] = a;
                if (!f.IsObject(p, p.Path)) continue;
                f.RejectUnknown(p, PinFields);
                a.Pin = f.Int(p, "pin", 0, 39, -1, true);
                a.Use = f.Str(p, "use", 16, "", true);
                a.Pull = f.Str(p, "pull", 16, "none", false);
                a.Signal = f.Str(p, "signal", 32, "", false);
                if (a.Use.Length > 0 && !Contains(Uses, a.Use)) f.Error(p.Path + ".use", "expected one of " + List(Uses) + ", got \"" + a.Use + "\"");
                if (!Contains(Pulls, a.Pull)) f.Error(p.Path + ".pull", "expected one of " + List(Pulls) + ", got \"" + a.Pull + "\"");
            }
            return result;
        }

        private static void Validate(PinMap map, ConfigFields f)
        {
            int sda = -1, scl = -1;
            for (int i = 0; i < map.Pins.Length; i++)
            {
                PinAssignment a = map.Pins[i];
                string at = a.Path + ".pin";
                string gpio = "GPIO" + a.Pin.ToString();
                for (int k = 0; k < i; k++)
                {
                    if (map.Pins[k].Pin == a.Pin) f.Error(at, gpio + " is already used by " + map.Pins[k].Path + " (" + map.Pins[k].Use + "); a pin serves one purpose");
                }
                if (a.Use == "i2c1_sda") sda = a.Pin;
                if (a.Use == "i2c1_scl") scl = a.Pin;
                bool inputOnly = a.Pin >= 34 && a.Pin <= 39;
                bool drives = a.Use == "output" || a.Use == "pwm" || a.Use == "com2_tx" || a.Use == "i2c1_sda" || a.Use == "i2c1_scl";
                bool sensesAtBoot = a.Use == "input" || a.Use == "analog" || a.Use == "com2_rx" || a.Use == "i2c1_sda" || a.Use == "i2c1_scl";

                if (a.Pin == 20 || a.Pin == 24 || (a.Pin >= 28 && a.Pin <= 31))
                {
                    f.Error(at, gpio + " does not exist on the ESP32 (GPIO 0-19, 21-23, 25-27, 32-39)");
                    continue;
                }
                if (a.Pin >= 6 && a.Pin <= 11)
                {
                    f.Error(at, gpio + " is wired to the module's SPI flash (GPIO6-11); using it stops the chip");
                    continue;
                }
                if (a.Pin == 1 || a.Pin == 3)
                {
                    f.Error(at, gpio + " is UART0 (COM1), used by the nanoFramework debugger and nanoff; use COM2 on other pins");
                    continue;
                }
                if (a.Pin == 12)
                {
                    f.Error(at, "GPIO12 (MTDI) is a strapping pin that selects the flash voltage at reset; anything holding it high makes the module fail to boot; choose another pin");
                    continue;
                }
                if (map.PsramMegabytes > 0 && (a.Pin == 16 || a.Pin == 17))
                {
                    f.Error(at, gpio + " is wired to the PSRAM on a WROVER module (GPIO16/17); choose another pin");
                    continue;
                }
                if (inputOnly && drives)
                {
                    f.Error(at, gpio + " is input-only (GPIO34-39) and cannot be used as " + a.Use);
                }
                if (inputOnly && (a.Pull == "internal_up" || a.Pull == "internal_down"))
                {
                    f.Error(a.Path + ".pull", gpio + " has no internal pull resistor (GPIO34-39); fit an external resistor and declare external_up or external_down");
                }
                if (Contains(Strapping, a.Pin) && sensesAtBoot)
                {
                    f.Error(at, gpio + " is a strapping pin (0, 2, 5, 12, 15): an input device can hold it at reset and change the boot mode; use it only for an output such as the LED");
                }
                if (a.Use == "analog")
                {
                    if (a.Pin < 32) f.Error(at, gpio + " is not on ADC1 (GPIO32-39); " + (map.Wifi && Contains(Adc2, a.Pin) ? "ADC2 cannot be read while Wi-Fi is on" : "it has no ADC1 channel"));
                }
                if ((a.Use == "i2c1_sda" || a.Use == "i2c1_scl") && a.Pull == "none")
                {
                    f.Error(a.Path + ".pull", "I2C lines need pull-ups: declare external_up (4.7 kΩ to 3.3 V, usually on the sensor breakout) or internal_up");
                }
            }
            if ((sda >= 0) != (scl >= 0))
            {
                f.Error("$.pins", "I2C needs both i2c1_sda and i2c1_scl, found only " + (sda >= 0 ? "i2c1_sda" : "i2c1_scl"));
            }
        }

        /// <summary>
        /// Checks a hub config against this board: every input on a pin the map declares as an input,
        /// the LED on an output and the buzzer on a PWM/output pin. Returns the problems (empty when it fits).
        /// </summary>
        public ArrayList CheckConfig(HubConfig config)
        {
            ArrayList errors = new ArrayList();
            for (int i = 0; i < config.Inputs.Length; i++)
            {
                InputConfig input = config.Inputs[i];
                PinAssignment a = Find(input.Pin);
                string path = "$.inputs[" + i.ToString() + "].pin";
                if (a == null) errors.Add(path + ": GPIO" + input.Pin.ToString() + " (input \"" + input.Id + "\") is not in the pin map of " + Board);
                else if (a.Use != "input") errors.Add(path + ": GPIO" + input.Pin.ToString() + " (input \"" + input.Id + "\") is declared as " + a.Use + " on " + Board);
            }
            CheckOutput(config.LedPin, "$.indicators.ledPin", false, errors);
            CheckOutput(config.BuzzerPin, "$.indicators.buzzerPin", true, errors);
            if (config.Sensors.Length > 0 && FindUse("i2c1_sda") == null)
            {
                errors.Add("$.sensors: the config has I2C sensors but " + Board + "'s pin map has no I2C bus");
            }
            return errors;
        }

        private void CheckOutput(int pin, string path, bool pwmAllowed, ArrayList errors)
        {
            if (pin < 0) return;
            PinAssignment a = Find(pin);
            if (a == null) errors.Add(path + ": GPIO" + pin.ToString() + " is not in the pin map of " + Board);
            else if (!(a.Use == "output" || (pwmAllowed && a.Use == "pwm"))) errors.Add(path + ": GPIO" + pin.ToString() + " is declared as " + a.Use + " on " + Board);
        }

        public PinAssignment Find(int pin)
        {
            for (int i = 0; i < Pins.Length; i++) if (Pins[i].Pin == pin) return Pins[i];
            return null;
        }

        public PinAssignment FindUse(string use)
        {
            for (int i = 0; i < Pins.Length; i++) if (Pins[i].Use == use) return Pins[i];
            return null;
        }

        private static bool Contains(string[] list, string value)
        {
            for (int i = 0; i < list.Length; i++) if (list[i] == value) return true;
            return false;
        }

        private static bool Contains(int[] list, int value)
        {
            for (int i = 0; i < list.Length; i++) if (list[i] == value) return true;
            return false;
        }

        private static string List(string[] list)
        {
            string s = "";
            for (int i = 0; i < list.Length; i++) s += (i == 0 ? "" : ", ") + list[i];
            return s;
        }
    }
}
