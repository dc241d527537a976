"""The engine under the stats streams, and one declaration per stream of the catalog."""
