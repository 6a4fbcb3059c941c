#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that delays every chunk by DELAY milliseconds in each
direction, to measure an uploader over a link with latency (loopback has none).

    delay-proxy.py LISTEN_PORT TARGET_PORT [DELAY_MS]   (default 10)

Bandwidth is not limited: only latency is added, as on a long fast link. It serves
127.0.0.1 only and stops when killed.
"""
import asyncio
import sys


async def relay(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            item = await queue.get()
            if item is None:
                break
            due, data = item
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(1 << 16)
            if not data:
                break
            await queue.put((loop.time() + delay, data))
    except ConnectionError:
        pass
    await queue.put(None)
    try:
        await sender
    except ConnectionError:
        pass


async def main(listen_port, target_port, delay):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(relay(client_reader, server_writer, delay), relay(server_reader, client_writer, delay))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    milliseconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
    asyncio.run(main(listen, target, milliseconds / 1000.0))
