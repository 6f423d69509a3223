# 笔记原文：002_3ed8f3c9aec243c0.txt 第 172-198 行，「TCP服务端:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 172-198, "TCP服务端:"
# 改动：port ready flush indent
# Edits: port ready flush indent
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("", 10050)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("", 10050); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# ---
import socket
import sys  # port
def main():
    tcp_server =socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp_server.bind(("127.0.0.1", int(sys.argv[1])))  # port
    # listen 变成被动套接字,只有被动套接字才能接受客服端消息
    # 128参数值 等待缓冲区,相当于容量,越大就接受越多,具体给多少,要看系统
    tcp_server.listen(128)
    print("listening on", tcp_server.getsockname(), flush=True)  # ready
    # 返回值 客户socket---客户套接字
    # 客户端地址,标识客户端相关信息系
    clie_socket,addrs = tcp_server.accept()
    while True: # 在进行无无线循环的时候,必须放在客户套接字下面,接收上面
        # recv 是接收从客户端发过来的消息
        recv_data = clie_socket.recv(1024)
        if recv_data:
            clie_socket.send(recv_data)
            print(recv_data, flush=True)
            # print(tcp_server)
            # print(clie_socket, addrs)
            # print(clie_socket)
            # print(addrs)
        else:
            clie_socket.close()
            print("客户端已关闭", flush=True)
            break
    tcp_server.close()
if __name__ == '__main__':
    main()
