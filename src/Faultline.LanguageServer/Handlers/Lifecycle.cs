namespace Faultline.LanguageServer.Handlers;

/// <summary>Shutdown and exit as LSP orders them: exit code 0 only after a shutdown request.</summary>
internal sealed class Lifecycle
{
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ShutdownRequested { get; set; }

    public Task Exited => exited.Task;

    public void Exit() => exited.TrySetResult();
}
