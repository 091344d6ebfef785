namespace Perisai.Storage.Tests;

public sealed class ObjectValuesTests
{
    [Fact]
    public void Pattern_literals_and_observable_values_are_indexed_in_lower_case()
    {
        Assert.Equal(["evil.example", "it's", "44d88612fea8a8f36de82e1278abb02f"],
            ObjectValues.Of("""{"type":"indicator","pattern":"[domain-name:value = 'Evil.example' OR file:name = 'it\\'s'] AND [file:hashes.MD5 = '44D88612FEA8A8F36DE82E1278ABB02F']","pattern_type":"stix"}"""));
        Assert.Equal(["198.51.100.3"], ObjectValues.Of("""{"type":"ipv4-addr","value":"198.51.100.3"}"""));
        Assert.Equal(["tasksche.exe", "ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa"],
            ObjectValues.Of("""{"type":"file","name":"tasksche.exe","hashes":{"SHA-256":"ed01ebfbc9eb5bbea545af4d01bf5f1071661840480439c6e5babe8e080e41aa"}}"""));
        // A YARA rule is not a STIX pattern: its quotes mean nothing here.
        Assert.Empty(ObjectValues.Of("""{"type":"indicator","pattern":"rule x { strings: $a = 'y' condition: $a }","pattern_type":"yara"}"""));
    }
}
