using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cs231n.MLNet.Build
{
    /// <summary>
    /// Keeps every use of ML.NET internals inside <c>MLNetInternals/</c>. The compile-time references make the
    /// allow-listed internals public, so the compiler alone would accept them anywhere; this analyzer reports each
    /// use outside the fence (CS231N001). Where code uses an internal that is not on the list, the compiler reports
    /// it as inaccessible and this analyzer adds the exact line the list needs (CS231N002).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class InternalsFenceAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The folder (a path segment) whose files may use ML.NET internals.</summary>
        public const string FencedFolder = "MLNetInternals";

        internal static readonly DiagnosticDescriptor OutsideFence = new DiagnosticDescriptor(
            "CS231N001",
            "ML.NET internal used outside MLNetInternals/",
            "'{0}' is an ML.NET internal (allow-list entry '{1}'); only code in src/Cs231n.MLNet/" + FencedFolder + "/ may use it. Move this use behind a helper in " + FencedFolder + "/.",
            "Architecture",
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        internal static readonly DiagnosticDescriptor NotOnAllowList = new DiagnosticDescriptor(
            "CS231N002",
            "ML.NET internal not on the allow-list",
            "'{0}' is internal to {1}. To use it from src/Cs231n.MLNet/" + FencedFolder + "/, add {2} to " + AllowList.RepositoryPath + ".",
            "Architecture",
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(OutsideFence, NotOnAllowList);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var file = start.Options.AdditionalFiles.FirstOrDefault(f =>
                    string.Equals(System.IO.Path.GetFileName(f.Path), AllowList.FileName, StringComparison.OrdinalIgnoreCase));
                var text = file?.GetText(start.CancellationToken);
                if (text is null)
                    return;
                var allowList = AllowList.Parse(text.ToString(), out _);
                var index = start.Options.AdditionalFiles.FirstOrDefault(f =>
                    string.Equals(System.IO.Path.GetFileName(f.Path), AllowList.NonPublicIndexFileName, StringComparison.OrdinalIgnoreCase));
                var nonPublic = new HashSet<string>(StringComparer.Ordinal);
                var indexText = index?.GetText(start.CancellationToken);
                if (indexText is not null)
                {
                    foreach (var line in indexText.Lines)
                        nonPublic.Add(line.ToString());
                }
                start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.PublicizedAssemblyNames", out string? names);
                var publicized = new HashSet<string>(
                    (names ?? string.Empty).Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()),
                    StringComparer.Ordinal);
                if (publicized.Count == 0)
                    return;
                start.RegisterSyntaxNodeAction(
                    node => AnalyzeName(node, allowList, publicized, nonPublic),
                    SyntaxKind.IdentifierName, SyntaxKind.GenericName, SyntaxKind.ObjectCreationExpression,
                    SyntaxKind.ImplicitObjectCreationExpression, SyntaxKind.BaseConstructorInitializer, SyntaxKind.Attribute);
            });
        }

        private static void AnalyzeName(SyntaxNodeAnalysisContext context, AllowList allowList, HashSet<string> publicized, HashSet<string> nonPublic)
        {
            var info = context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken);
            if (info.Symbol is { } symbol)
            {
                if (IsInsideFence(context.Node.SyntaxTree.FilePath) || !FromPublicized(symbol, publicized))
                    return;
                var (typeChain, member) = Describe(symbol);
                if (typeChain.Count > 0 && allowList.IsPublicized(typeChain, member, out string entry))
                    context.ReportDiagnostic(Diagnostic.Create(OutsideFence, context.Node.GetLocation(), Display(symbol), entry));
                return;
            }

            if (info.CandidateReason == CandidateReason.None && info.CandidateSymbols.IsEmpty)
            {
                ReportHiddenMember(context, publicized, nonPublic);
                return;
            }
            if (info.CandidateReason != CandidateReason.Inaccessible)
                return;
            foreach (var candidate in info.CandidateSymbols.Where(c => FromPublicized(c, publicized)).Take(1))
            {
                var lines = NeededEntries(candidate).Select(e => "'" + e + "'");
                context.ReportDiagnostic(Diagnostic.Create(NotOnAllowList, context.Node.GetLocation(),
                    Display(candidate), candidate.ContainingAssembly.Name, string.Join(" and ", lines)));
            }
        }

        // The compiler does not load the non-public members of a referenced assembly at all, so a use of one reads as
        // "no such member" (CS1061, CS0117, CS1729). The publicizer's index tells whether the name is an internal of
        // the receiver's type or of one of its bases, and which line would make it public.
        private static void ReportHiddenMember(SyntaxNodeAnalysisContext context, HashSet<string> publicized, HashSet<string> nonPublic)
        {
            if (nonPublic.Count == 0)
                return;
            ITypeSymbol? receiver = null;
            string? name = null;
            var model = context.SemanticModel;
            switch (context.Node)
            {
                case SimpleNameSyntax simple when simple.Parent is MemberAccessExpressionSyntax access && access.Name == simple:
                    receiver = model.GetTypeInfo(access.Expression, context.CancellationToken).Type
                        ?? model.GetSymbolInfo(access.Expression, context.CancellationToken).Symbol as ITypeSymbol;
                    name = simple.Identifier.ValueText;
                    break;
                case SimpleNameSyntax simple when simple.Parent is MemberBindingExpressionSyntax binding
                                                  && binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>() is { } conditional:
                    receiver = model.GetTypeInfo(conditional.Expression, context.CancellationToken).Type;
                    name = simple.Identifier.ValueText;
                    break;
                case BaseObjectCreationExpressionSyntax creation:
                    receiver = model.GetTypeInfo(creation, context.CancellationToken).Type;
                    name = ".ctor";
                    break;
            }
            if (receiver is INamedTypeSymbol { IsGenericType: true } generic)
                receiver = generic.OriginalDefinition;
            for (var type = receiver as INamedTypeSymbol; type is not null && name is not null; type = type.BaseType)
            {
                if (!FromPublicized(type, publicized))
                    continue;
                string entry = MetadataName(type) + "::" + name;
                if (!nonPublic.Contains(entry))
                    continue;
                var lines = NeededEntries(type).Concat(new[] { entry }).Select(e => "'" + e + "'");
                context.ReportDiagnostic(Diagnostic.Create(NotOnAllowList, context.Node.GetLocation(),
                    MetadataName(type).Replace('/', '.') + "." + name, type.ContainingAssembly.Name, string.Join(" and ", lines)));
                return;
            }
        }

        /// <summary>Whether a source file lies in the fenced folder (any path separator).</summary>
        internal static bool IsInsideFence(string path) =>
            ("/" + path.Replace('\\', '/')).Contains("/" + FencedFolder + "/");

        private static bool FromPublicized(ISymbol symbol, HashSet<string> publicized) =>
            symbol.ContainingAssembly is { } assembly && publicized.Contains(assembly.Name);

        private static string Display(ISymbol symbol) =>
            symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

        // A use names a type, or a member of a type; both are compared with the list in metadata terms.
        private static (List<string> TypeChain, string? Member) Describe(ISymbol symbol)
        {
            symbol = Unwrap(symbol);
            if (symbol is INamedTypeSymbol type)
                return (Chain(type), null);
            if (symbol.ContainingType is { } containing)
                return (Chain(containing), symbol.MetadataName);
            return (new List<string>(), null);
        }

        private static ISymbol Unwrap(ISymbol symbol)
        {
            if (symbol is IMethodSymbol { ReducedFrom: { } extension })
                symbol = extension;
            if (symbol is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet } accessor && accessor.AssociatedSymbol is { } property)
                symbol = property;
            if (symbol is IAliasSymbol alias)
                symbol = alias.Target;
            return symbol.OriginalDefinition;
        }

        private static List<string> Chain(INamedTypeSymbol type)
        {
            var chain = new List<string>();
            for (var t = type.OriginalDefinition; t is not null; t = t.ContainingType)
                chain.Add(MetadataName(t));
            return chain;
        }

        /// <summary>The name the allow-list uses for a type: <c>Namespace.Outer/Inner`1</c>.</summary>
        internal static string MetadataName(INamedTypeSymbol type)
        {
            if (type.ContainingType is { } outer)
                return MetadataName(outer) + "/" + type.MetadataName;
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
            return ns + type.MetadataName;
        }

        // Everything the list must gain for this use to compile: the internal types around it, then the member.
        private static IEnumerable<string> NeededEntries(ISymbol symbol)
        {
            symbol = Unwrap(symbol);
            var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
            var entries = new List<string>();
            for (var t = type; t is not null; t = t.ContainingType)
            {
                if (t.DeclaredAccessibility != Accessibility.Public)
                    entries.Insert(0, MetadataName(t));
            }
            if (!(symbol is INamedTypeSymbol) && type is not null && symbol.DeclaredAccessibility != Accessibility.Public)
                entries.Add(MetadataName(type) + "::" + symbol.MetadataName);
            return entries;
        }
    }
}
