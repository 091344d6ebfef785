namespace Perisai.Stix.Tests;

public class StixTimestampTests
{
    [Theory]
    [InlineData("2016-01-20T12:31:12Z", 0)]
    [InlineData("2016-01-20T12:31:12.123Z", 3)]
    [InlineData("2016-01-20T12:31:12.123456789123Z", 12)]
    [InlineData("2024-02-29T23:59:59.9Z", 1)]
    public void TryParse_Valid_KeepsTextAndPrecision(string text, int digits)
    {
        Assert.True(StixTimestamp.TryParse(text, out var ts));
        Assert.Equal(text, ts.Value.Text);
        Assert.Equal(digits, ts.Value.FractionDigits);
    }

    [Theory]
    [InlineData("2016-01-20T12:31:12")]
    [InlineData("2016-01-20T12:31:12.Z")]
    [InlineData("2016-01-20T12:31:12+00:00")]
    [InlineData("2016-01-20 12:31:12Z")]
    [InlineData("2016-02-30T00:00:00Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2016-01-20T24:00:00Z")]
    [InlineData("2016-01-20t12:31:12z")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_Invalid_IsFalse(string? text)
    {
        Assert.False(StixTimestamp.TryParse(text, out _));
    }

    [Fact]
    public void Key_SameInstantDifferentPrecision_IsEqual_AndOrdersByTime()
    {
        var a = StixTimestamp.Parse("2016-01-20T12:31:12Z");
        var b = StixTimestamp.Parse("2016-01-20T12:31:12.000Z");
        var c = StixTimestamp.Parse("2016-01-20T12:31:12.0000001Z");
        Assert.Equal(a.Key, b.Key);
        Assert.True(b < c);
        Assert.Equal("2016-01-20T12:31:12.000000100Z", c.Key);
    }
}
