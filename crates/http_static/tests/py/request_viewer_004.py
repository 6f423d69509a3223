"""
    http 测试
        tcp 服务器端
    查看 http 请求内容
        请求行
        请求头
        空行
        请求体 # 因为没有内容, 所以显示空行

Notes 004 §2.3.4 "请求体". Faithful copy; for the tests the port comes from the command line
(the notes bind ("127.0.0.1", 8888)), and one added print says when it is ready.
"""

import sys
from socket import *

s = socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(3)
print("listening on", s.getsockname(), flush=True)  # (added for the tests)
c, addr = s.accept()

print("Connect From", addr)
data = c.recv(2048)
print(data.decode())

c.close()
s.close()
