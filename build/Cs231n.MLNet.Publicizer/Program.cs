// Writes compile-time reference copies of assemblies in which every type and member is public.
// Usage: Cs231n.MLNet.Publicizer <output-directory> <assembly.dll>...
// The runtime still loads the original assemblies; Cs231n.MLNet declares IgnoresAccessChecksTo for them.
using Mono.Cecil;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Cs231n.MLNet.Publicizer <output-directory> <assembly.dll>...");
    return 2;
}

string outputDirectory = args[0];
Directory.CreateDirectory(outputDirectory);
foreach (string input in args.Skip(1))
{
    string output = Path.Combine(outputDirectory, Path.GetFileName(input));
    if (File.Exists(output) && File.GetLastWriteTimeUtc(output) >= File.GetLastWriteTimeUtc(input))
        continue;

    var resolver = new DefaultAssemblyResolver();
    resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input))!);
    using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver });
    foreach (TypeDefinition type in assembly.MainModule.GetTypes())
        Publicize(type);

    // Write to a temporary name first so an interrupted build never leaves a half-written reference behind.
    string temporary = output + ".tmp";
    assembly.Write(temporary);
    File.Move(temporary, output, overwrite: true);
}
return 0;

static void Publicize(TypeDefinition type)
{
    type.Attributes &= ~TypeAttributes.VisibilityMask;
    type.Attributes |= type.IsNested ? TypeAttributes.NestedPublic : TypeAttributes.Public;

    foreach (MethodDefinition method in type.Methods)
    {
        // Explicit interface implementations keep their visibility: their dotted names cannot be called anyway.
        if (method.IsPrivate && method.Name.Contains('.'))
            continue;
        method.Attributes &= ~MethodAttributes.MemberAccessMask;
        method.Attributes |= MethodAttributes.Public;
    }

    // A field that shares its name with a property or an event (an event's backing field, typically) would make
    // every use of that name ambiguous, so those fields stay as they are.
    var memberNames = new HashSet<string>(type.Properties.Select(p => p.Name).Concat(type.Events.Select(e => e.Name)));
    foreach (FieldDefinition field in type.Fields)
    {
        if (memberNames.Contains(field.Name))
            continue;
        field.Attributes &= ~FieldAttributes.FieldAccessMask;
        field.Attributes |= FieldAttributes.Public;
    }
}
