using Faultline.Server.Ingest;

namespace Faultline.Server.Tests.Ingest;

public sealed class MicroBatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Batches_WithoutStartNext_RunOneAfterAnotherAndGatherWhatArrivedMeanwhile()
    {
        var batches = new List<int[]>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        await using var batcher = new MicroBatcher<int, int>(
            async (items, startNext, cancellationToken) =>
            {
                lock (batches)
                {
                    batches.Add([.. items]);
                }

                if (items[0] == 1)
                {
                    firstStarted.SetResult();
                    await releaseFirst.Task;
                }

                return [.. items.Select(i => BatchOutcome<int>.Success(i * 10))];
            },
            maxBatch: 100, concurrency: 2, capacity: 100);

        var first = batcher.EnqueueAsync(1, TestContext.Current.CancellationToken);
        await firstStarted.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var later = Enumerable.Range(2, 3).Select(i => batcher.EnqueueAsync(i, TestContext.Current.CancellationToken)).ToList();
        await Task.Delay(200, TestContext.Current.CancellationToken);

        // The second loop is idle, yet it did not take the items: the first batch still has the turn.
        lock (batches)
        {
            Assert.Single(batches);
        }

        releaseFirst.SetResult();
        var answers = await Task.WhenAll([first, .. later]).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal([10, 20, 30, 40], answers);
        Assert.Equal([[1], [2, 3, 4]], batches);
    }

    [Fact]
    public async Task StartNext_LetsTheNextBatchRunWhileThisOneFinishes()
    {
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        await using var batcher = new MicroBatcher<int, int>(
            async (items, startNext, cancellationToken) =>
            {
                if (items[0] == 1)
                {
                    startNext();
                    firstStarted.SetResult();
                    await releaseFirst.Task;
                }

                return [.. items.Select(i => BatchOutcome<int>.Success(i * 10))];
            },
            maxBatch: 100, concurrency: 2, capacity: 100);

        var first = batcher.EnqueueAsync(1, TestContext.Current.CancellationToken);
        await firstStarted.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);

        // The second batch is stored and answered while the first is still committing.
        Assert.Equal(20, await batcher.EnqueueAsync(2, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.False(first.IsCompleted);

        releaseFirst.SetResult();
        Assert.Equal(10, await first.WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FailedBatch_FailsItsCallersOnly_AndTheNextBatchStillRuns()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, startNext, cancellationToken) => items[0] == 1
                ? throw new InvalidOperationException("broken batch")
                : Task.FromResult<IReadOnlyList<BatchOutcome<int>>>([.. items.Select(i => BatchOutcome<int>.Success(i))]),
            maxBatch: 100, concurrency: 1, capacity: 100);

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EnqueueAsync(1, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(2, await batcher.EnqueueAsync(2, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }
}
