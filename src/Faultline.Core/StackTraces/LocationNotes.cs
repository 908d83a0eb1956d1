namespace Faultline.Core.StackTraces;

/// <summary>The machine-readable notes <see cref="IncidentLocator"/> can add to an <see cref="IncidentLocation"/>.</summary>
public static class LocationNotes
{
    /// <summary>The file is a compiled bundle (<c>.next/server/…</c>, <c>_next/static/…</c>); its path is kept
    /// as is because source maps are not supported yet, so the line is a line of the bundle.</summary>
    public const string CompiledBundle = "compiled_bundle";

    /// <summary>The chosen frame's path matched no code mapping, deployment root or well-known source folder,
    /// so <see cref="IncidentLocation.FilePath"/> is <c>null</c> rather than an absolute path.</summary>
    public const string PathUnmapped = "path_unmapped";

    /// <summary>There were frames, but none of them is in-app, so no file was chosen.</summary>
    public const string NoInAppFrame = "no_in_app_frame";

    /// <summary>More frames than <see cref="StackTraceLimits.MaxFrames"/>: the middle ones were dropped.</summary>
    public const string FramesTruncated = "frames_truncated";

    /// <summary>The raw trace was longer than the parser reads; only its beginning was parsed.</summary>
    public const string TraceTruncated = "trace_truncated";

    /// <summary>The location came from the SDK's explicit <c>file_path</c>.</summary>
    public const string ExplicitLocation = "explicit_location";
}
