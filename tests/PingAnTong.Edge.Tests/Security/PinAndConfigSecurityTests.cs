using System.Security.Cryptography;
using System.Text;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Security;

/// <summary>The installer PIN's verifier and lockout, and the config members issue 17 added.</summary>
public class PinAndConfigSecurityTests
{
    private static List<string> Errors(string json)
    {
        try { ConfigParser.Parse(Encoding.UTF8.GetBytes(json)); return new(); }
        catch (ConfigException e) { return e.Errors.Cast<string>().ToList(); }
    }

    private static string WithConsole(string console) =>
        TestBench.DemoConfigJson.Replace("\"heartbeatMinutes\": 5", "\"heartbeatMinutes\": 5, \"console\": " + console);

    /// <summary>The worked example of docs/security-core.md, "Installer PIN": what pat provision must write for these inputs.</summary>
    [Fact]
    public void The_pin_verifier_worked_example_is_PBKDF2_HMAC_SHA256_of_the_pin_with_the_salt_text_as_salt()
    {
        const string pin = "13572468", salt = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        const string expected = "4ef0b95d447505b0bda65746e2450603537151f5b810686719ac527ffdb5563a";
        Assert.Equal(expected, PinVerifier.Hash(salt, pin, 1000));
        Assert.Equal(expected, Convert.ToHexString(Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(salt), 1000, HashAlgorithmName.SHA256, 32)).ToLowerInvariant());
        var c = ConfigParser.Parse(Encoding.UTF8.GetBytes(WithConsole(
            "{ \"pinKdf\": \"pbkdf2-sha256\", \"pinIterations\": 1000, \"pinSalt\": \"" + salt + "\", \"pinHash\": \"" + expected + "\" }")));
        Assert.True(PinVerifier.Check(c, pin));
        Assert.False(PinVerifier.Check(c, "13572469"));
        Assert.False(PinVerifier.Check(c, ""));
    }

    [Fact]
    public void The_legacy_salted_sha256_verifier_is_still_accepted_for_hubs_provisioned_before_pbkdf2()
    {
        var c = ConfigParser.Parse(Encoding.UTF8.GetBytes(WithConsole("{ \"pinSalt\": \"old-salt-01\", \"pinHash\": \"" + Sha256.PinHash("old-salt-01", "2468") + "\" }")));
        Assert.Null(c.ConsolePinKdf);
        Assert.True(PinVerifier.Check(c, "2468"));
        Assert.False(PinVerifier.Check(c, "2469"));
        var b = new TestBench(WithConsole("{ \"pinSalt\": \"old-salt-01\", \"pinHash\": \"" + Sha256.PinHash("old-salt-01", "2468") + "\" }"));
        Assert.Contains(b.Console("events 20"), l => l.Contains("legacy salted SHA-256"));
    }

    [Theory]
    [InlineData("{ \"pinKdf\": \"scrypt\", \"pinIterations\": 1000, \"pinSalt\": \"abcdefgh\", \"pinHash\": \"" + Zeros + "\" }", "$.console.pinKdf: expected \"pbkdf2-sha256\"")]
    [InlineData("{ \"pinKdf\": \"pbkdf2-sha256\", \"pinSalt\": \"abcdefgh\", \"pinHash\": \"" + Zeros + "\" }", "$.console.pinIterations: required integer from 1000 to 2000 is missing")]
    [InlineData("{ \"pinKdf\": \"pbkdf2-sha256\", \"pinIterations\": 100000, \"pinSalt\": \"abcdefgh\", \"pinHash\": \"" + Zeros + "\" }", "$.console.pinIterations: expected an integer from 1000 to 2000, got 100000")]
    [InlineData("{ \"pinIterations\": 1000, \"pinSalt\": \"abcdefgh\", \"pinHash\": \"" + Zeros + "\" }", "$.console.pinIterations: only with pinKdf")]
    [InlineData("{ \"pinKdf\": \"pbkdf2-sha256\", \"pinIterations\": 1000, \"pinSalt\": \"abcdefgh\", \"pinHash\": \"ABC\" }", "$.console.pinHash: expected 64 lower-case hex digits: PBKDF2-HMAC-SHA256")]
    public void A_pin_verifier_in_another_form_is_refused(string console, string expected)
    {
        Assert.Contains(Errors(WithConsole(console)), e => e.StartsWith(expected));
    }

    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Tls_false_needs_insecureForTesting_and_the_hub_warns_at_every_boot()
    {
        string insecure = TestBench.DemoConfigJson;
        Assert.Contains(Errors(insecure.Replace("\"insecureForTesting\": true, ", "")), e => e.StartsWith("$.broker.tls: false is refused"));
        Assert.Contains(Errors(insecure.Replace("\"tls\": false", "\"tls\": true, \"caFile\": \"ca.pem\"")), e => e.StartsWith("$.broker.insecureForTesting: only with tls false"));
        Assert.Empty(Errors(insecure));
        var b = new TestBench();
        b.Restart();
        Assert.Equal(2, b.Console("events 50").Count(l => l.Contains("WARNING: no TLS (broker.insecureForTesting)")));
        Assert.Contains(b.Console("status"), l => l.Contains("(NO TLS: insecureForTesting, lab only)"));
    }

    [Fact]
    public void The_command_key_file_is_named_in_the_config_and_read_through_the_host()
    {
        var c = ConfigParser.Parse(Encoding.UTF8.GetBytes(TestBench.DemoConfigJson));
        Assert.Equal("command.key", c.CommandKeyFile);
        Assert.Contains(Errors(TestBench.DemoConfigJson.Replace("\"commandKeyFile\": \"command.key\"", "\"commandKey\": \"00\"")), e => e.StartsWith("$.security.commandKey: unknown setting"));
        var b = new TestBench();
        Assert.Contains("command.key", b.Host.SecretReads);
        Assert.Null(b.Hub.CommandKeyProblem);
    }

    // ---- Finding: the console PIN lockout was cleared by a reboot ----

    [Fact]
    public void Wrong_pins_lock_the_console_across_reboots_with_a_growing_wait()
    {
        var b = new TestBench(Field.ConsoleInterpreterTests.PinConfigJson, storeConfig: true);
        for (int i = 0; i < 5; i++) { b.Console("unlock 0000"); b.Step(ConsoleLockout.PauseMs); }
        Assert.StartsWith("error: unlock: 5 wrong PINs in a row; try again in", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        b.Restart(); // pulling the plug does not help
        Assert.StartsWith("error: unlock: 5 wrong PINs in a row; try again in 5m00s", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        Assert.Contains(b.Console("status"), l => l.Contains("5 wrong PINs, next try in"));
        b.Step(5 * 60_000);
        Assert.Equal("error: unlock: wrong PIN; locked for 10m00s", b.Console("unlock 0000").Single());
        b.Step(5 * 60_000);
        Assert.StartsWith("error: unlock: 6 wrong PINs in a row; try again in 5m00s", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        b.Step(5 * 60_000);
        Assert.Equal("unlocked for 10 min", b.Console("unlock " + Field.ConsoleInterpreterTests.Pin).Single());
        b.Restart();
        Assert.Equal(0, b.Hub.ConsoleLockout.Failures);
    }

    [Fact]
    public void The_wait_doubles_from_five_minutes_to_at_most_an_hour()
    {
        Assert.Equal(0, ConsoleLockout.WaitAfter(0));
        Assert.Equal(2000, ConsoleLockout.WaitAfter(4));
        Assert.Equal(5 * 60_000, ConsoleLockout.WaitAfter(5));
        Assert.Equal(10 * 60_000, ConsoleLockout.WaitAfter(6));
        Assert.Equal(40 * 60_000, ConsoleLockout.WaitAfter(8));
        Assert.Equal(60 * 60_000, ConsoleLockout.WaitAfter(9));
        Assert.Equal(60 * 60_000, ConsoleLockout.WaitAfter(int.MaxValue));
    }
}
