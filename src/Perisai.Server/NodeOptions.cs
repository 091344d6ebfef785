namespace Perisai.Server;

/// <summary>Settings of a node's HTTP surface. Defaults suit one national CERT on modest hardware.</summary>
public sealed class NodeOptions
{
    /// <summary>Discovery title (TAXII 2.1 §4.1.1). Default "Perisai".</summary>
    public string Title { get; set; } = "Perisai";

    /// <summary>Discovery description.</summary>
    public string Description { get; set; } = "Perisai threat-intelligence node (STIX 2.1 over TAXII 2.1)";

    /// <summary>Discovery contact.</summary>
    public string? Contact { get; set; }

    /// <summary>
    /// Largest request body accepted, in bytes, advertised as the API root's max_content_length (TAXII 2.1 §4.2.1).
    /// Default 100 MiB: room for an envelope of about 100,000 indicators.
    /// </summary>
    public long MaxContentLength { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most objects in one response, whatever the client's limit (TAXII 2.1 §3.4). Default 10,000.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Page size when the client gives no limit. Default 1,000.</summary>
    public int DefaultPageSize { get; set; } = 1_000;

    /// <summary>
    /// Envelopes with more objects than this are acknowledged as soon as they are stored whole and applied in the
    /// background (status "pending", TAXII 2.1 §4.3.1); smaller ones are applied before the response (status
    /// "complete"). Default 1,000: about 50 ms of writing on SQLite.
    /// </summary>
    public int SynchronousIngestLimit { get; set; } = 1_000;

    /// <summary>
    /// Status resources list successes and pendings one by one only up to this many (failures are always listed;
    /// counts are always exact). Default 1,000.
    /// </summary>
    public int StatusListLimit { get; set; } = 1_000;

    /// <summary>Serve plain HTTP on addresses other than loopback. Off by default: TAXII 2.1 §8.2.2 requires TLS.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>PEM or PFX certificate file for HTTPS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PFX file, or path of the PEM key.</summary>
    public string? CertificateKey { get; set; }

    /// <summary>How often the feed scheduler looks for feeds that are due (each feed has its own interval).</summary>
    public TimeSpan FeedTick { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the peer scheduler looks for links that are due. A link whose interval is 0 ("continuous") runs at
    /// every tick: two seconds keeps a region's exchange well within its minute.
    /// </summary>
    public TimeSpan PeerTick { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Makes the HTTP handler peers are called through; null for the real network (tests route to in-memory nodes).</summary>
    public Func<HttpMessageHandler>? PeerHandler { get; set; }
}
