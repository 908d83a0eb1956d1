using System.Threading.Channels;

namespace Faultline.Server.Ingest;

/// <summary>
/// Gathers concurrent calls into batches: each call waits for the batch it joined. Under light
/// load a batch holds one item and costs no added wait; under heavy load batches grow by themselves.
/// <para>A few loops run batches side by side, one after another: a loop gathers its batch only
/// once the batch before it has called its <c>startNext</c> callback (or ended), so a batch holds
/// everything that arrived meanwhile instead of being split between idle loops. A batch of
/// writes calls it once it has sent its statements: the next one is gathered and runs beside it.</para>
/// </summary>
internal sealed class MicroBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> channel;
    private readonly Func<IReadOnlyList<TItem>, Action, CancellationToken, Task<IReadOnlyList<BatchOutcome<TResult>>>> execute;
    private readonly int maxBatch;
    private readonly Func<Pending, int> weight;
    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task[] loops;

    public MicroBatcher(
        Func<IReadOnlyList<TItem>, Action, CancellationToken, Task<IReadOnlyList<BatchOutcome<TResult>>>> execute,
        int maxBatch,
        int concurrency,
        int capacity,
        Func<TItem, int>? weight = null)
    {
        this.execute = execute;
        this.maxBatch = maxBatch;
        this.weight = weight is null ? _ => 1 : p => weight(p.Item);
        // Bounded: when the database falls behind, callers are told to retry (503) instead of
        // queueing without limit in memory.
        channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true, // one loop at a time, holding the turn
        });
        loops = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(RunAsync))];
    }

    public Task<TResult> EnqueueAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!channel.Writer.TryWrite(pending))
        {
            throw new BatcherFullException();
        }

        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await Task.WhenAll(loops);
        stopping.Dispose();
        turn.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(maxBatch);
        var items = new List<TItem>(maxBatch);
        while (true)
        {
            await turn.WaitAsync();
            var passed = 0;
            void PassTurn()
            {
                if (Interlocked.Exchange(ref passed, 1) == 0)
                {
                    turn.Release();
                }
            }

            try
            {
                if (!await channel.Reader.WaitToReadAsync())
                {
                    return;
                }

                batch.Clear();
                items.Clear();
                var size = 0;
                while (size < maxBatch && channel.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    items.Add(pending.Item);
                    size += weight(pending);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    var results = await execute(items, PassTurn, stopping.Token);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        if (results[i].Error is { } error)
                        {
                            batch[i].Completion.TrySetException(error);
                        }
                        else
                        {
                            batch[i].Completion.TrySetResult(results[i].Value!);
                        }
                    }
                }
                catch (Exception exception)
                {
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetException(exception);
                    }
                }
            }
            finally
            {
                PassTurn();
            }
        }
    }

    internal sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion);
}

/// <summary>What became of one item of a batch: its result, or the exception its caller gets.</summary>
internal readonly record struct BatchOutcome<TResult>(TResult? Value, Exception? Error)
{
    public static BatchOutcome<TResult> Success(TResult value) => new(value, null);

    public static BatchOutcome<TResult> Failure(Exception error) => new(default, error);
}

/// <summary>The queue in front of the database is full: the database is too slow or down.</summary>
internal sealed class BatcherFullException : Exception
{
    public BatcherFullException()
        : base("The ingest queue is full.")
    {
    }
}

