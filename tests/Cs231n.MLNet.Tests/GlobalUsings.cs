global using Microsoft.VisualStudio.TestTools.UnitTesting;
global using Cs231n.MLNet.Samples;
