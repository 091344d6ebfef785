using Microsoft.Extensions.Logging;

namespace Perisai.Server;

/// <summary>The node's log events, with stable ids. Never log object content or secrets here.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Envelope {StatusId} applied to collection {CollectionId}: {Succeeded} succeeded, {Failed} failed")]
    public static partial void EnvelopeApplied(ILogger logger, string statusId, string collectionId, int succeeded, int failed);

    [LoggerMessage(1002, LogLevel.Information, "Envelope {StatusId} of {Count} objects for collection {CollectionId} acknowledged; applying in the background")]
    public static partial void EnvelopeQueued(ILogger logger, string statusId, string collectionId, int count);

    [LoggerMessage(1003, LogLevel.Information, "Resuming envelope {StatusId} acknowledged before the last stop")]
    public static partial void EnvelopeResumed(ILogger logger, string statusId);

    [LoggerMessage(1004, LogLevel.Error, "Envelope {StatusId} could not be applied; it stays pending")]
    public static partial void EnvelopeFailed(ILogger logger, string statusId, Exception exception);

    [LoggerMessage(1010, LogLevel.Error, "Unhandled error on {Method} {Path} (error_id {ErrorId})")]
    public static partial void Unhandled(ILogger logger, string method, string path, string errorId, Exception exception);

    [LoggerMessage(1020, LogLevel.Warning, "Serving plain HTTP on {Url}: TAXII 2.1 §8.2.2 requires TLS; use only on loopback or behind a TLS proxy")]
    public static partial void PlainHttp(ILogger logger, string url);

    [LoggerMessage(1030, LogLevel.Information, "Feed {Name}: {Added} added, {Unchanged} unchanged, {Rejected} rejected in {DurationMs} ms")]
    public static partial void FeedRan(ILogger logger, string name, long added, long unchanged, long rejected, long durationMs);

    [LoggerMessage(1031, LogLevel.Warning, "Feed {Name} failed: {Error}; the other feeds go on and what it imported stays")]
    public static partial void FeedFailed(ILogger logger, string name, string error);

    [LoggerMessage(1040, LogLevel.Warning, "Peer {Name}: {Error}; its other links and the other peers go on, and it resumes from its last stored cursor")]
    public static partial void PeerFailed(ILogger logger, string name, string error);
}
