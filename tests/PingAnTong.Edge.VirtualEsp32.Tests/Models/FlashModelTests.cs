extern alias device;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;
using NanoFile = device::System.IO.File;
using NanoFileAccess = device::System.IO.FileAccess;
using NanoFileMode = device::System.IO.FileMode;
using NanoFileStream = device::System.IO.FileStream;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The I:\ model against partitions_nanoclr_4mb.csv, esp_littlefs, littlefs and System.IO.FileSystem (see Models/FlashModel.cs).</summary>
public class FlashModelTests : DeviceTest
{
    private static void Append(string path, byte[] data)
    {
        using var fs = new NanoFileStream(path, NanoFileMode.Append, NanoFileAccess.Write);
        fs.Write(data, 0, data.Length);
        fs.Flush();
    }

    [Fact]
    public void The_drive_is_64_blocks_of_4_KB_and_holds_the_network_configuration()
    {
        Assert.Equal(64, FlashModel.BlockCount);
        Assert.Contains("con_WN1_0.sys", VirtualEsp32.Flash.Files);
        Assert.Equal(2, VirtualEsp32.Flash.UsedBlocks); // superblock + root directory pair; the config files are inline
    }

    [Fact]
    public void Small_files_are_inline_and_larger_ones_take_whole_blocks()
    {
        Append("I:\\small", new byte[512]);
        Assert.Equal(2, VirtualEsp32.Flash.UsedBlocks);
        Append("I:\\one", new byte[513]);
        Assert.Equal(3, VirtualEsp32.Flash.UsedBlocks);
        Append("I:\\two", new byte[4097]);
        Assert.Equal(5, VirtualEsp32.Flash.UsedBlocks);
        Assert.Equal(1, FlashModel.DataBlocks(4096));
        Assert.Equal(2, FlashModel.DataBlocks(4096 + 4092)); // block 1 gives 4 bytes to its back-pointer
        Assert.Equal(3, FlashModel.DataBlocks(4096 + 4092 + 1));
    }

    [Fact]
    public void A_write_that_does_not_fit_throws_a_plain_Exception_and_the_file_keeps_what_was_committed()
    {
        Append("I:\\log", new byte[1000]);
        VirtualEsp32.Flash.Fill("I:\\other", VirtualEsp32.Flash.LargestThatFits("I:\\other"));
        var e = Assert.ThrowsAny<Exception>(() => Append("I:\\log", new byte[8000]));
        Assert.Equal(typeof(Exception), e.GetType()); // CLR_E_FILE_IO has no managed exception type
        Assert.Equal(1000, VirtualEsp32.Flash.ReadFile("I:\\log")!.Length);
        Assert.Equal(1, VirtualEsp32.Flash.FailedWrites);
    }

    [Fact]
    public void Writes_are_committed_when_the_stream_is_closed()
    {
        var fs = new NanoFileStream("I:\\f", NanoFileMode.Append, NanoFileAccess.Write);
        fs.Write(new byte[] { 1, 2, 3 }, 0, 3);
        fs.Flush();
        Assert.Empty(VirtualEsp32.Flash.ReadFile("I:\\f")!);
        fs.Dispose();
        Assert.Equal(new byte[] { 1, 2, 3 }, VirtualEsp32.Flash.ReadFile("I:\\f"));
    }

    [Fact]
    public void Move_onto_an_existing_name_and_opening_a_missing_file_throw_IOException()
    {
        VirtualEsp32.Flash.Deploy("I:\\config.json", new byte[] { 1 });
        VirtualEsp32.Flash.Deploy("I:\\config.applied.json", new byte[] { 2 });
        var e = Assert.Throws<IOException>(() => NanoFile.Move("I:\\config.json", "I:\\config.applied.json"));
        Assert.Equal(-402653184, e.HResult); // IOExceptionErrorCode.PathAlreadyExists
        NanoFile.Delete("I:\\config.applied.json");
        NanoFile.Delete("I:\\no-such-file"); // no-op
        NanoFile.Move("I:\\config.json", "I:\\config.applied.json");
        Assert.Equal(new byte[] { 1 }, NanoFile.ReadAllBytes("I:\\config.applied.json"));
        Assert.Throws<IOException>(() => NanoFile.ReadAllBytes("I:\\config.json"));
        Assert.Throws<IOException>(() => new NanoFileStream("I:\\config.applied.json", NanoFileMode.CreateNew, NanoFileAccess.Write));
        Assert.Throws<NotSupportedException>(() => new NanoFileStream("I:\\folder\\x", NanoFileMode.Append, NanoFileAccess.Write)); // folders are not modelled
    }

    [Fact]
    public void Flash_survives_a_reboot_and_an_unclosed_stream_does_not()
    {
        Append("I:\\kept", new byte[] { 7 });
        var open = new NanoFileStream("I:\\lost", NanoFileMode.Append, NanoFileAccess.Write);
        open.Write(new byte[] { 9 }, 0, 1);
        VirtualEsp32.Reboot();
        Assert.Equal(new byte[] { 7 }, VirtualEsp32.Flash.ReadFile("I:\\kept"));
        Assert.Empty(VirtualEsp32.Flash.ReadFile("I:\\lost")!);
    }
}
