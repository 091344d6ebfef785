using Perisai.Server.Feeds;

namespace Perisai.Server.Tests.Feeds;

/// <summary>The one table of import format names that the command line and the feeds read.</summary>
public sealed class ImportFormatsTests
{
    [Theory]
    [InlineData("auto", ImportFormat.Auto)]
    [InlineData("stix", ImportFormat.Stix)]
    [InlineData("MISP", ImportFormat.Misp)]
    [InlineData("misp-feed", ImportFormat.MispFeed)]
    [InlineData("csv", ImportFormat.Csv)]
    [InlineData("list", ImportFormat.Csv)]
    [InlineData("txt", ImportFormat.Csv)]
    public void TryParse_KnownName_GivesItsFormat(string name, ImportFormat expected)
    {
        Assert.True(ImportFormats.TryParse(name, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_IsRefused(string? name) => Assert.False(ImportFormats.TryParse(name, out _));

    [Fact]
    public void Name_OfEveryFormat_ReadsBackAsIt()
    {
        foreach (var format in Enum.GetValues<ImportFormat>())
        {
            Assert.True(ImportFormats.TryParse(ImportFormats.Name(format), out var back));
            Assert.Equal(format, back);
        }
    }

    [Fact]
    public void FeedCheck_RefusesAutoAndUnknown_AcceptsTheRest()
    {
        Assert.Equal("unknown feed format 'auto': misp-feed, misp, csv or stix", FeedScheduler.Check("auto", null));
        Assert.NotNull(FeedScheduler.Check("json", null));
        Assert.Null(FeedScheduler.Check("misp-feed", null));
        Assert.Equal(ImportFormat.Csv, FeedScheduler.Format("list"));
    }
}
