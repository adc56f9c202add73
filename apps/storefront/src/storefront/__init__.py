"""The storefront: catalog, cart, checkout and a live order page, over the public API only."""
