using System.Text.Json;

namespace Perisai.Server.Feeds;

/// <summary>A MISP feed's pull state (event uuid → manifest timestamp) as a small JSON file, for one-shot imports.</summary>
public static class FeedState
{
    /// <summary>The state in <paramref name="file"/>, empty when it does not exist or cannot be read.</summary>
    public static Dictionary<string, long> Load(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            return file.Exists ? JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllBytes(file.FullName)) ?? [] : [];
        }
        catch (JsonException)
        {
            return []; // a damaged state file costs one full pull, nothing more
        }
    }

    /// <summary>Writes the state by rename, so a crash leaves the old file or the new one.</summary>
    public static void Save(FileInfo file, IReadOnlyDictionary<string, long> state)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(file.DirectoryName!);
        string tmp = file.FullName + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(state));
        File.Move(tmp, file.FullName, overwrite: true);
    }
}
