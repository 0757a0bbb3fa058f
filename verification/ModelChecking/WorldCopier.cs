using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>
/// Copies an object graph — a <see cref="World"/>: the engine and the environment around it — field by field, keeping
/// its shape (two references to one object stay two references to one copy). This is how the checker forks a state to
/// try each event from it: the engine has no clone of its own, and replaying the path from the initial state would cost
/// the path's length per fork. It needs nothing of the engine but plain fields, and refuses what it cannot copy
/// faithfully (a hash table keyed by object identity).
/// Shared rather than copied: strings, delegates that reach no state (no target, or a lambda capturing nothing), the
/// objects registered as shared (the run's machines and options), and every object a static field of the engine's or spec's types refers to (sentinels such as
/// "removed" or "receipt acknowledged", which the engine compares by reference).
/// Per-type copying code is emitted once (IL, in anonymously hosted dynamic methods, which the JIT optimizes even in a
/// Debug build of the tests), so a fork costs a few microseconds. Not thread-safe: one per checker.
/// </summary>
internal sealed class WorldCopier
{
    private static readonly ConcurrentDictionary<Type, Plan> Plans = new();
    private static readonly Func<object, object> ShallowCopy = (Func<object, object>)Delegate.CreateDelegate(
        typeof(Func<object, object>), typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!);
    private static readonly MethodInfo CopyMethod = typeof(WorldCopier).GetMethod(nameof(Copy), BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly HashSet<object> Statics = StaticObjects();

    private readonly HashSet<object> _shared = new(ReferenceEqualityComparer.Instance);
    private readonly CopyMap _copies = new();
    private readonly Dictionary<Type, Plan> _plans = [];
    private readonly HashSet<Type> _environment;
    private bool _environmentOnly;

    /// <summary>A copier that shares <paramref name="shared"/> (and the engine's static sentinels) instead of copying them.</summary>
    /// <param name="shared">Objects every copy shares.</param>
    /// <param name="environment">The types a copy of the environment alone copies (<see cref="Fork{T}(T, bool)"/>).</param>
    public WorldCopier(object[] shared, Type[] environment)
    {
        foreach (object o in shared)
        {
            _shared.Add(o);
        }

        _environment = [.. environment];
    }

    private delegate void FieldCopier(object source, object target, WorldCopier copier);

    /// <summary>
    /// A copy of <paramref name="root"/> and everything it reaches; with <paramref name="environmentOnly"/>, only the objects
    /// of the environment's types are copied and the rest (the engine, its messages and requests) is shared with the original.
    /// </summary>
    public T Fork<T>(T root, bool environmentOnly = false)
        where T : class
    {
        _copies.Clear();
        _environmentOnly = environmentOnly;
        return (T)Copy(root)!;
    }

    /// <summary>How many objects the last fork copied.</summary>
    internal int LastCount => _copies.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal object? Copy(object? source)
    {
        if (source is null)
        {
            return null;
        }

        Type type = source.GetType();
        if (_environmentOnly && !_environment.Contains(type))
        {
            return source;
        }

        if (!_plans.TryGetValue(type, out Plan? plan))
        {
            plan = PlanFor(type);
        }

        if (plan.Immutable || (plan.MayBeShared && (_shared.Contains(source) || Statics.Contains(source))))
        {
            return source;
        }

        if (plan.Delegate)
        {
            // A delegate is shared, so it must not reach state of its own: no target, a lambda capturing nothing, or a shared target.
            object? owner = ((Delegate)source).Target;
            return owner is null || owner.GetType().Name == "<>c" || _shared.Contains(owner) ? source
                : throw new NotSupportedException($"A delegate to {((Delegate)source).Method} on a {owner.GetType()} is part of the state: register its target as shared, or keep it out of the world.");
        }

        if (_copies.Find(source) is { } done)
        {
            return done;
        }

        object target = plan.Array ? ((Array)source).Clone() : ShallowCopy(source);
        _copies.Add(source, target);
        if (plan.ReferenceArray)
        {
            object?[] from = (object?[])source;
            object?[] to = (object?[])target;
            for (int i = 0; i < from.Length; i++)
            {
                if (from[i] is { } element)
                {
                    to[i] = Copy(element);
                }
            }
        }
        else
        {
            plan.Fields?.Invoke(source, target, this);
        }

        return target;
    }

    private Plan PlanFor(Type type)
    {
        Plan plan = Plans.GetOrAdd(type, MakePlan);
        plan = plan.Shared(_shared.Any(o => o.GetType() == type) || Statics.Any(o => o.GetType() == type));
        _plans.Add(type, plan);
        return plan;
    }

    private static Plan MakePlan(Type type)
    {
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(TimeSpan))
        {
            return new Plan(immutable: true);
        }

        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return new Plan(isDelegate: true);
        }

        if (type.IsValueType)
        {
            // A boxed struct: immutable in practice (nothing here writes through a box), unless it holds references.
            return HasReferences(type) ? throw new NotSupportedException($"A boxed {type} holding references cannot be copied faithfully.") : new Plan(immutable: true);
        }

        if (typeof(Hashtable).IsAssignableFrom(type) || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Dictionary<,>) || type.GetGenericTypeDefinition() == typeof(HashSet<>))
            && !type.GetGenericArguments()[0].IsValueType && type.GetGenericArguments()[0] != typeof(string)))
        {
            throw new NotSupportedException($"{type} may be keyed by object identity, which a copy does not keep: give the world lists instead.");
        }

        if (type.IsArray)
        {
            Type element = type.GetElementType()!;
            if (!element.IsValueType)
            {
                return IsDeeplyImmutable(element) ? new Plan(array: true) : new Plan(array: true, referenceArray: true);
            }

            return HasReferences(element) ? new Plan(array: true, fields: EmitStructArray(type, element)) : new Plan(array: true);
        }

        if (IsDeeplyImmutable(type))
        {
            return new Plan(immutable: true);
        }

        var fields = AllInstanceFields(type).Where(f => NeedsCopy(f.FieldType)).ToList();
        return fields.Count == 0 ? new Plan() : new Plan(fields: EmitClass(type, fields));
    }

    /// <summary>A sealed class whose fields are all readonly and deeply immutable themselves (a spec row): shared, never copied.</summary>
    private static bool IsDeeplyImmutable(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum
        || (type.IsSealed && !type.IsArray && type != typeof(object) && !typeof(Delegate).IsAssignableFrom(type)
            && AllInstanceFields(type).All(f => f.IsInitOnly && f.FieldType != type && IsDeeplyImmutable(f.FieldType)));

    /// <summary>A field of this type holds something a copy must copy (or check): a reference, or a struct holding one.</summary>
    private static bool NeedsCopy(Type fieldType) => fieldType.IsValueType ? HasReferences(fieldType) : !IsDeeplyImmutable(fieldType);

    private static FieldCopier EmitClass(Type type, List<FieldInfo> fields)
    {
        var method = new DynamicMethod($"Copy_{type.Name}", null, [typeof(object), typeof(object), typeof(WorldCopier)], restrictedSkipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        foreach (FieldInfo field in fields)
        {
            EmitField(il, field, il => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Castclass, type); }, il => { il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Castclass, type); });
        }

        il.Emit(OpCodes.Ret);
        return (FieldCopier)method.CreateDelegate(typeof(FieldCopier));
    }

    private static FieldCopier EmitStructArray(Type arrayType, Type element)
    {
        var method = new DynamicMethod($"Copy_{element.Name}_Array", null, [typeof(object), typeof(object), typeof(WorldCopier)], restrictedSkipVisibility: true);
        ILGenerator il = method.GetILGenerator();
        LocalBuilder i = il.DeclareLocal(typeof(int));
        Label test = il.DefineLabel();
        Label body = il.DefineLabel();
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Stloc, i);
        il.Emit(OpCodes.Br, test);
        il.MarkLabel(body);
        var fields = AllInstanceFields(element).Where(f => NeedsCopy(f.FieldType)).ToList();
        foreach (FieldInfo field in fields)
        {
            EmitField(il, field, Element(0), Element(1));
        }

        il.Emit(OpCodes.Ldloc, i);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, i);
        il.MarkLabel(test);
        il.Emit(OpCodes.Ldloc, i);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, arrayType);
        il.Emit(OpCodes.Ldlen);
        il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Blt, body);
        il.Emit(OpCodes.Ret);
        return (FieldCopier)method.CreateDelegate(typeof(FieldCopier));

        Action<ILGenerator> Element(short argument) => il =>
        {
            il.Emit(OpCodes.Ldarg, argument);
            il.Emit(OpCodes.Castclass, arrayType);
            il.Emit(OpCodes.Ldloc, i);
            il.Emit(OpCodes.Ldelema, element);
        };
    }

    /// <summary>
    /// target.field = copy(source.field) for a reference field; for a struct field holding references, the same for each
    /// of its fields, through the struct's address. <paramref name="source"/> and <paramref name="target"/> load the owner
    /// (an object reference, or a struct's address).
    /// </summary>
    private static void EmitField(ILGenerator il, FieldInfo field, Action<ILGenerator> source, Action<ILGenerator> target)
    {
        if (field.FieldType.IsValueType)
        {
            foreach (FieldInfo inner in AllInstanceFields(field.FieldType).Where(f => NeedsCopy(f.FieldType)))
            {
                EmitField(il, inner, il => { source(il); il.Emit(OpCodes.Ldflda, field); }, il => { target(il); il.Emit(OpCodes.Ldflda, field); });
            }

            return;
        }

        target(il);
        il.Emit(OpCodes.Ldarg_2);
        source(il);
        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Call, CopyMethod);
        if (field.FieldType != typeof(object))
        {
            il.Emit(OpCodes.Castclass, field.FieldType);
        }

        il.Emit(OpCodes.Stfld, field);
    }

    private static List<FieldInfo> AllInstanceFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }

        return fields;
    }

    /// <summary>True when a struct holds a reference a copy must follow (strings and other immutable objects need not be).</summary>
    private static bool HasReferences(Type valueType) =>
        AllInstanceFields(valueType).Any(f => f.FieldType.IsValueType
            ? !f.FieldType.IsPrimitive && !f.FieldType.IsEnum && f.FieldType != valueType && HasReferences(f.FieldType)
            : !IsDeeplyImmutable(f.FieldType));

    /// <summary>Every object a static field of the engine's or spec's types refers to: compared by reference, never copied.</summary>
    private static HashSet<object> StaticObjects()
    {
        var found = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (Assembly assembly in new[] { typeof(StateMachineMqtt.Engine.SessionEngine).Assembly, typeof(StateMachineMqtt.Spec.ConnectionTable).Assembly })
        {
            foreach (Type type in assembly.GetTypes().Where(t => !t.IsGenericTypeDefinition))
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    if (!field.FieldType.IsValueType && !field.IsLiteral && field.GetValue(null) is { } value)
                    {
                        found.Add(value);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Original → copy for one fork: open addressing on the objects' identity hashes, emptied in O(1) by a generation stamp
    /// (a fork touches a few dozen objects; clearing a dictionary each time would cost more than the lookups).
    /// </summary>
    private sealed class CopyMap
    {
        private object?[] _keys = new object?[256];
        private object?[] _values = new object?[256];
        private int[] _stamps = new int[256];
        private int _generation = 1;

        public int Count;

        public void Clear()
        {
            Count = 0;
            if (++_generation == int.MaxValue)
            {
                Array.Clear(_stamps);
                _generation = 1;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public object? Find(object key)
        {
            int mask = _keys.Length - 1;
            for (int at = RuntimeHelpers.GetHashCode(key) & mask; _stamps[at] == _generation; at = (at + 1) & mask)
            {
                if (ReferenceEquals(_keys[at], key))
                {
                    return _values[at];
                }
            }

            return null;
        }

        public void Add(object key, object value)
        {
            if ((Count + 1) * 2 > _keys.Length)
            {
                Grow();
            }

            int mask = _keys.Length - 1;
            int at = RuntimeHelpers.GetHashCode(key) & mask;
            while (_stamps[at] == _generation)
            {
                at = (at + 1) & mask;
            }

            _stamps[at] = _generation;
            _keys[at] = key;
            _values[at] = value;
            Count++;
        }

        private void Grow()
        {
            object?[] keys = _keys, values = _values;
            int[] stamps = _stamps;
            int generation = _generation;
            _keys = new object?[keys.Length * 2];
            _values = new object?[keys.Length * 2];
            _stamps = new int[keys.Length * 2];
            Count = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                if (stamps[i] == generation)
                {
                    Add(keys[i]!, values[i]!);
                }
            }
        }
    }

    /// <summary>How to copy one type (plain fields: read on every object copied).</summary>
    private sealed class Plan(bool immutable = false, bool isDelegate = false, bool array = false, bool referenceArray = false, FieldCopier? fields = null)
    {
        public readonly bool Immutable = immutable;
        public readonly bool Delegate = isDelegate;
        public readonly bool Array = array;
        public readonly bool ReferenceArray = referenceArray;
        public readonly FieldCopier? Fields = fields;
        public bool MayBeShared;

        public Plan Shared(bool mayBeShared) => new(Immutable, Delegate, Array, ReferenceArray, Fields) { MayBeShared = mayBeShared };
    }
}
