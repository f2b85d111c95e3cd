// The runtime honours this attribute by name: it lets this assembly use the non-public ML.NET members that the
// publicized compile-time references expose (see MLNetInternals/README.md).
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.StandardTrainers")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Transforms")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Tells the runtime to skip access checks from this assembly into the named one.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute : Attribute
    {
        /// <summary>Creates the attribute for one assembly.</summary>
        /// <param name="assemblyName">The simple name of the assembly whose internals are used.</param>
        public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

        /// <summary>The simple name of the assembly whose internals are used.</summary>
        public string AssemblyName { get; }
    }
}
