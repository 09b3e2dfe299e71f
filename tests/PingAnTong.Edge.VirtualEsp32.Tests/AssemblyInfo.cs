using Xunit;

// One virtual ESP32 per process (static): tests must take turns.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
