# Notes 003 "socketserver模块--针对并发编程", server. Faithful copy; for the tests the port
# comes from the command line (the notes use 9001) and one added print says when it is ready.
import socketserver
import sys

class  Myserver(socketserver.BaseRequestHandler):
	def  handle(self):
		conn=self.request
		while  True:
			try:
				content=conn.recv(1024).decode('utf-8')
				print(content)
				conn.send(content.upper().encode('utf-8'))
			except  ConnectionResetError:
				break

server=socketserver.ThreadingTCPServer(('127.0.0.1',int(sys.argv[1])),Myserver)
print("listening on", server.server_address, flush=True)  # (added for the tests)
server.serve_forever()
