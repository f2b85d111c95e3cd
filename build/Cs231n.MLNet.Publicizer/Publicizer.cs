using Mono.Cecil;

namespace Cs231n.MLNet.Build;

/// <summary>
/// Makes exactly the allow-listed internals of a set of assemblies public. Every entry must name something that
/// exists and is not public already, so the list stays a true record of the internals the package uses.
/// </summary>
internal sealed class Publicizer : IDisposable
{
    private readonly List<(string Input, AssemblyDefinition Assembly)> _assemblies = [];
    private readonly Dictionary<string, TypeDefinition> _types = new(StringComparer.Ordinal);

    /// <summary>Reads the assemblies (their folder resolves their dependencies).</summary>
    public Publicizer(IEnumerable<string> inputs)
    {
        foreach (string input in inputs)
        {
            var resolver = new DefaultAssemblyResolver();
            resolver.AddSearchDirectory(Path.GetDirectoryName(input)!);
            var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
            _assemblies.Add((input, assembly));
            foreach (TypeDefinition type in assembly.MainModule.GetTypes())
                _types.TryAdd(type.FullName, type);
        }
    }

    private string AssemblyNames => string.Join(", ", _assemblies.Select(a => a.Assembly.Name.Name));

    /// <summary>Applies the entries; returns one message per entry that cannot be applied, with its line.</summary>
    public List<(int Line, string Message)> Apply(AllowList allowList)
    {
        var problems = new List<(int, string)>();
        foreach (var entry in allowList.Entries)
        {
            string? problem = Apply(entry, allowList);
            if (problem is not null)
                problems.Add((entry.Line, problem));
        }
        return problems;
    }

    private string? Apply(AllowList.Entry entry, AllowList allowList)
    {
        if (!_types.TryGetValue(entry.Type, out var type))
            return $"'{entry.Type}' is not a type of {AssemblyNames}. Check the spelling: full namespace, 'Outer/Inner' for a nested type, 'Name`1' for a generic one.";

        for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType)
        {
            if (!IsVisible(outer) && !allowList.Types.Contains(outer.FullName))
                return $"'{entry}' is inside the internal type '{outer.FullName}'; add the line '{outer.FullName}' as well.";
        }

        if (entry.Member is null)
        {
            if (IsVisible(type))
                return $"'{type.FullName}' is public already; remove this line.";
            MakePublic(type);
            return null;
        }

        if (!IsVisible(type) && !allowList.Types.Contains(type.FullName))
            return $"'{entry}' is a member of the internal type '{type.FullName}'; add the line '{type.FullName}' as well.";

        if (entry.Member == "*")
        {
            MakePublic(type);
            foreach (var method in type.Methods.Where(IsCallable))
                method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;
            foreach (var field in type.Fields.Where(f => !SharesNameWithPropertyOrEvent(type, f)))
                field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
            return null;
        }

        var methods = MethodsNamed(type, entry.Member).ToList();
        var fields = type.Fields.Where(f => f.Name == entry.Member).ToList();
        if (methods.Count == 0 && fields.Count == 0)
            return $"'{type.FullName}' has no member '{entry.Member}' (write '.ctor' for constructors).";
        if (methods.All(m => m.IsPublic) && fields.All(f => f.IsPublic))
            return $"'{entry}' is public already; remove this line.";
        foreach (var method in methods)
            method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;
        foreach (var field in fields)
            field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
        return null;
    }

    /// <summary>
    /// The non-public members left after <see cref="Apply"/>, as <c>Type::Member</c> lines. The compiler does not
    /// even see such members, so the fence analyzer reads this index to name the exact allow-list line a use needs.
    /// </summary>
    public IEnumerable<string> NonPublicMembers()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in _types.Values)
        {
            foreach (var method in type.Methods.Where(m => !m.IsPublic && IsCallable(m) && !m.IsGetter && !m.IsSetter && !m.IsAddOn && !m.IsRemoveOn))
                names.Add(type.FullName + "::" + method.Name);
            foreach (var property in type.Properties.Where(p => new[] { p.GetMethod, p.SetMethod }.Any(m => m is { IsPublic: false })))
                names.Add(type.FullName + "::" + property.Name);
            foreach (var field in type.Fields.Where(f => !f.IsPublic && !SharesNameWithPropertyOrEvent(type, f)))
                names.Add(type.FullName + "::" + field.Name);
        }
        return names;
    }

    /// <summary>Writes every assembly to the folder, through a temporary name so a stopped build leaves no half file.</summary>
    public void WriteAll(string outputDirectory)
    {
        string index = Path.Combine(outputDirectory, AllowList.NonPublicIndexFileName);
        File.WriteAllLines(index + ".tmp", NonPublicMembers());
        File.Move(index + ".tmp", index, overwrite: true);
        foreach (var (input, assembly) in _assemblies)
        {
            string output = Path.Combine(outputDirectory, Path.GetFileName(input));
            string temporary = output + ".tmp";
            assembly.Write(temporary);
            File.Move(temporary, output, overwrite: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (_, assembly) in _assemblies)
            assembly.Dispose();
    }

    private static bool IsVisible(TypeDefinition type) => type.IsPublic || type.IsNestedPublic;

    private static void MakePublic(TypeDefinition type)
    {
        type.Attributes &= ~TypeAttributes.VisibilityMask;
        type.Attributes |= type.IsNested ? TypeAttributes.NestedPublic : TypeAttributes.Public;
    }

    // Explicit interface implementations keep their visibility: their dotted names cannot be called anyway.
    private static bool IsCallable(MethodDefinition method) => !(method.IsPrivate && method.Name.Contains('.') && method.Name != ".ctor" && method.Name != ".cctor");

    // A method entry names every overload; a property or an event entry names its accessors.
    private static IEnumerable<MethodDefinition> MethodsNamed(TypeDefinition type, string name) =>
        type.Methods.Where(m => m.Name == name && IsCallable(m))
            .Concat(type.Properties.Where(p => p.Name == name).SelectMany(p => new[] { p.GetMethod, p.SetMethod }))
            .Concat(type.Events.Where(e => e.Name == name).SelectMany(e => new[] { e.AddMethod, e.RemoveMethod }))
            .Where(m => m is not null);

    // A field that shares its name with a property or an event (an event's backing field, typically) would make
    // every use of that name ambiguous, so those fields stay as they are.
    private static bool SharesNameWithPropertyOrEvent(TypeDefinition type, FieldDefinition field) =>
        type.Properties.Any(p => p.Name == field.Name) || type.Events.Any(e => e.Name == field.Name);
}
