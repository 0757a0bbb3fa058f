using FsCheck;
using FsCheck.Fluent;
using StateMachineMqtt.Engine;
using StateMachineMqtt.PropertyTests.Fixtures.Seeds;

namespace StateMachineMqtt.PropertyTests.Engine;

/// <summary>The engine's packet identifier map (I2): unique, non-zero identifiers, wrapping from 65,535 to 1.</summary>
public sealed class PacketIdMapTests
{
    [Fact]
    public void Identifiers_start_at_1_and_wrap_from_65535_back_to_1_never_0()
    {
        var map = new PacketIdMap();
        var taken = new List<int>();
        for (int i = 0; i < 65_537; i++)
        {
            taken.Add(map.TakeFreeId());
        }

        Assert.Equal(1, taken[0]);
        Assert.Equal(65_535, taken[65_534]);
        Assert.Equal(1, taken[65_535]);
        Assert.DoesNotContain(0, taken);
    }

    [Fact]
    public void TakeFreeId_skips_identifiers_in_use_also_across_the_wrap()
    {
        var map = new PacketIdMap();
        map.Put(1, "a");
        map.Put(2, "b");
        map.Put(65_535, "c");
        Assert.Equal(3, map.TakeFreeId());
        for (int i = 4; i < 65_535; i++)
        {
            Assert.Equal(i, map.TakeFreeId());
        }

        Assert.Equal(3, map.TakeFreeId()); // 65535, 1 and 2 are in use
    }

    [Fact]
    public void TakeFreeId_throws_when_every_identifier_is_in_use()
    {
        var map = new PacketIdMap();
        for (int i = 1; i <= 65_535; i++)
        {
            map.Put(map.TakeFreeId(), i);
        }

        Assert.Equal(65_535, map.Count);
        var full = Assert.Throws<InvalidOperationException>(() => map.TakeFreeId());
        Assert.Equal("All 65,535 packet identifiers are in use.", full.Message);
        Assert.True(map.Remove(300));
        Assert.Equal(300, map.TakeFreeId());
    }

    [Fact]
    public void TakeFreeId_skips_an_identifier_held_in_slot_0()
    {
        // 32 hashes to slot 0 of the initial 32 slots: a slot index of 0 is a hit, not a miss.
        var map = new PacketIdMap();
        object value = new();
        map.Put(32, value);
        Assert.Equal(32, map.KeyAt(0));
        Assert.Same(value, map.ValueAt(0));
        for (int id = 1; id <= 31; id++)
        {
            Assert.Equal(id, map.TakeFreeId()); // taken, not held
        }

        Assert.Equal(33, map.TakeFreeId());
        Assert.Same(value, map.Get(32));
    }

    [Fact]
    public void The_table_doubles_exactly_when_it_would_become_more_than_half_full()
    {
        var map = new PacketIdMap();
        object value = new();
        Assert.Equal(32, map.Capacity);
        int id = 0;
        foreach (int capacity in new[] { 32, 64, 128, 256 })
        {
            while (map.Count < capacity / 2)
            {
                map.Put(++id, value);
                Assert.Equal(capacity, map.Capacity);
            }

            map.Put(id, new object()); // replacing a value holds no new identifier: no growth
            Assert.Equal(capacity, map.Capacity);
            Assert.Equal(capacity / 2, map.Count);
        }

        map.Put(++id, value);
        Assert.Equal(512, map.Capacity);
        Assert.Equal(129, map.Count);
        for (int held = 1; held <= id; held++)
        {
            Assert.NotNull(map.Get(held));
        }

        Assert.Null(map.Get(id + 1));
    }

    [Fact]
    public void Each_occupied_slot_names_its_identifier_and_value()
    {
        var map = new PacketIdMap();
        var values = new Dictionary<int, object>();
        foreach (int id in new[] { 1, 32, 64, 2, 65_535, 40_000, 7 })
        {
            values[id] = new object();
            map.Put(id, values[id]);
        }

        Assert.True(map.Remove(64));
        values.Remove(64);
        var slotted = new Dictionary<int, object>();
        for (int slot = 0; slot < map.Capacity; slot++)
        {
            if (map.ValueAt(slot) is { } v)
            {
                slotted.Add(map.KeyAt(slot), v);
            }
        }

        Assert.Equal(values.Keys.Order(), slotted.Keys.Order());
        Assert.All(values, kv => Assert.Same(kv.Value, slotted[kv.Key]));
    }

    [Fact]
    public void Taking_and_freeing_identifiers_at_a_steady_count_never_grows_or_allocates()
    {
        // Eight in flight at a time, each freed in turn and replaced by a fresh identifier: the publish-to-PUBACK cycle.
        var map = new PacketIdMap();
        object value = new();
        var inUse = new int[8];
        for (int i = 0; i < inUse.Length; i++)
        {
            inUse[i] = map.TakeFreeId();
            map.Put(inUse[i], value);
        }

        int capacity = map.Capacity;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int cycle = 0; cycle < 200_000; cycle++) // past the wrap at 65,535, three times
        {
            int oldest = cycle % inUse.Length;
            Assert.True(map.Remove(inUse[oldest]));
            inUse[oldest] = map.TakeFreeId();
            map.Put(inUse[oldest], value);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(capacity, map.Capacity);
        Assert.Equal(inUse.Length, map.Count);
        Assert.All(inUse, id => Assert.Same(value, map.Get(id)));
    }

    [Fact]
    public void Remove_put_and_get_agree_with_a_dictionary_under_random_operations()
    {
        Property property = Prop.ForAll(
            Arb.From(Gen.ListOf(Gen.Zip(Gen.Choose(0, 2), Gen.Choose(1, 200)))),
            operations =>
            {
                var map = new PacketIdMap();
                var model = new Dictionary<int, object>();
                foreach ((int op, int id) in operations)
                {
                    switch (op)
                    {
                        case 0:
                            object value = new();
                            map.Put(id, value);
                            model[id] = value;
                            break;
                        case 1:
                            Assert.Equal(model.Remove(id), map.Remove(id));
                            break;
                        default:
                            int free = map.TakeFreeId();
                            Assert.InRange(free, 1, 65_535);
                            Assert.False(model.ContainsKey(free));
                            break;
                    }

                    Assert.Equal(model.Count, map.Count);
                }

                for (int id = 1; id <= 200; id++)
                {
                    Assert.Same(model.GetValueOrDefault(id), map.Get(id));
                }

                int slotted = Enumerable.Range(0, map.Capacity).Count(slot => map.ValueAt(slot) is not null);
                Assert.Equal(model.Count, slotted);
            });
        TestSeeds.Check(property, 200);
    }
}
