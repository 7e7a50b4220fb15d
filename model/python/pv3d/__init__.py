"""Our own PyTorch implementation of the PV3D architecture, with ONNX export for the render farm."""
