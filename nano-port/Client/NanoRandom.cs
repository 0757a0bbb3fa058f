using System;
using StateMachineMqtt.Engine;

namespace StateMachineMqtt.Nano.Client
{
    /// <summary>The engine's random source for backoff jitter, over System.Random (seeded, so a test replays its delays).</summary>
    internal sealed class NanoRandom : IRandomSource
    {
        private readonly Random _random;

        /// <summary>Seeded with <paramref name="seed"/>, or from the clock when it is 0.</summary>
        public NanoRandom(int seed)
        {
            _random = seed == 0 ? new Random() : new Random(seed);
        }

        /// <inheritdoc />
        public int Next(int exclusiveMaximum)
        {
            return _random.Next(exclusiveMaximum);
        }
    }
}
