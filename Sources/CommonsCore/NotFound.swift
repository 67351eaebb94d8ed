/// "No such item": each concern's error for a record that is not there (or no longer is, when
/// another editor deleted it a moment ago) conforms, and the web layer answers 404 for any of
/// them in one place.
public protocol NotFoundError: Error {}
