@_exported import SafeJSON
